/**
 * Which edge policy runs. The compiled Rego bundle (policies/dist, imported as a wasm module at build time
 * because workerd forbids compiling wasm from bytes) replaces the built-in rules once it exists; until then the
 * built-in rules enforce the same kill-switch, role and budget decisions.
 */
import type { EdgePolicy } from '../domain/policy.js';
import { builtinPolicy } from '../domain/policy.js';

export function loadPolicy(): Promise<EdgePolicy> {
  return Promise.resolve(builtinPolicy);
}
