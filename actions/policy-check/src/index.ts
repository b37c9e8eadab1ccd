/** The policy check's core and GitHub adapter, for callers that run it outside the action (tests, codegen). */
export * from './policy-check.js';
export * from './github.js';
export * from './kill-switch.js';
