/** Node-side tools for running the Worker on this machine (tests, benchmarks, `autocode up`). */
export { startLocalWorker } from './local-worker.js';
export type { LocalD1, LocalWorker, LocalWorkerOptions } from './local-worker.js';
export { applyMigrations, MIGRATIONS_DIR, splitStatements } from './migrations.js';
export type { MigratableD1 } from './migrations.js';
export { DEV_USERS, startDevIssuer } from './oidc-issuer.js';
export type { DevIssuer, DevRole, MintOptions } from './oidc-issuer.js';
