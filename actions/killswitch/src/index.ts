export * from './plan.js';
export * from './enforce.js';
