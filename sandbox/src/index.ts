export * from './llm/index.js';
export * from './forge/index.js';
export * from './up.js';
export { seedSandbox, DEFAULT_SEED_DIR } from './forge/seed.js';
export type { SeedResult } from './forge/seed.js';
