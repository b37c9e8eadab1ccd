/** Public surface of the sandbox LLM server (re-exported by `@autocode/sandbox`). */
export { startLlmServer, DEFAULT_MODELS } from './server.js';
export type { LlmServer, LlmServerOptions } from './server.js';
export type { CacheOptions } from './engine.js';
export type { Rule, RuleMatch, Reply, ReplyFn } from './rules.js';
export type { Fault, FaultKind, FaultTarget } from './faults.js';
export { loadLlmScript } from './script.js';
export type { LlmScript } from './script.js';
export type {
  LlmRequest,
  Provider,
  Route,
  Usage,
  UsageTotals,
  RequestLogEntry,
  PromptSegment,
} from './types.js';
