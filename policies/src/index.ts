/**
 * @autocode/policies — Web-API-only entry, safe in Node and in the edge Worker: the engine, facts extraction
 * (unified diff or GitHub PR → slim input), the pure scanners (format patterns + entropy), the schemas.
 * Node extras (bundle loader, secretlint, ajv validation) live in `@autocode/policies/node`.
 */
export * from './types.js';
export * from './schema.js';
export * from './engine.js';
export * from './diff.js';
export * from './facts.js';
export * from './pull-request.js';
export * from './summary.js';
export type { RawFinding, ScanTarget, SecretScanner } from './scan/types.js';
export { patternScanner, PATTERN_RULES } from './scan/patterns.js';
export { entropyScanner, looksSecret } from './scan/entropy.js';
export type { EntropyOptions } from './scan/entropy.js';
export { combineScanners } from './scan/combine.js';
export { fingerprint } from './scan/fingerprint.js';
export { isPlaceholder, shannonEntropy } from './scan/text.js';
