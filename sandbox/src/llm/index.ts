/**
 * Public surface of the sandbox LLM server (re-exported by `@autocode/sandbox`). Types carry an `Llm` prefix
 * so they cannot be confused with the forge's in the package's one namespace.
 */
export { startLlmServer, DEFAULT_MODELS as DEFAULT_LLM_MODELS } from './server.js';
export type { LlmServer, LlmServerOptions } from './server.js';
export type { CacheOptions as LlmCacheOptions } from './engine.js';
export type {
  Rule as LlmRule,
  RuleMatch as LlmRuleMatch,
  Reply as LlmReply,
  ReplyFn as LlmReplyFn,
} from './rules.js';
export type {
  Fault as LlmFault,
  FaultKind as LlmFaultKind,
  FaultTarget as LlmFaultTarget,
} from './faults.js';
export { loadLlmScript } from './script.js';
export type { LlmScript } from './script.js';
export type {
  LlmRequest,
  Provider as LlmProvider,
  Route as LlmRoute,
  Usage as LlmUsage,
  UsageTotals as LlmUsageTotals,
  RequestLogEntry as LlmRequestLogEntry,
  PromptSegment as LlmPromptSegment,
} from './types.js';
