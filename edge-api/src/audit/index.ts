/** Audit-log core on Web APIs only: shared by the Worker and `autocode audit verify`. */
export * from './bytes.js';
export * from './merkle.js';
export * from './checkpoint.js';
export * from './verify.js';
export * from './pii.js';
export * from './files.js';
