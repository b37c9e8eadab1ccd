export * from './llm/index.js';
export * from './forge/index.js';
