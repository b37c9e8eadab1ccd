/**
 * Types shared by the LLM server's routes: a provider-neutral view of a request (what rules match on and what
 * tokens are counted over), the usage we account, and the request log entry tests and benchmarks read.
 */
import type { SseFrame } from './sse.js';

export type Provider = 'openai' | 'anthropic';

/** The wire route a request came in on. */
export type Route = 'responses' | 'chat.completions' | 'messages';

/**
 * One piece of the prompt in the order the provider sees it (tools, system, then messages). Anthropic
 * breakpoints (`cache_control`) are kept per segment so prompt caching can be modelled on them.
 */
export interface PromptSegment {
  role: 'tools' | 'system' | 'user' | 'assistant' | 'tool';
  text: string;
  /** Set when the block carried `cache_control` (Anthropic). */
  cacheControl?: { ttl: '5m' | '1h' };
}

/** A request as rules and accounting see it, whatever the wire format. */
export interface LlmRequest {
  provider: Provider;
  route: Route;
  model: string;
  stream: boolean;
  /** System / developer / `instructions` text, joined with blank lines. */
  system: string;
  /** Every non-system message's text (user, assistant, tool results), joined with blank lines. */
  prompt: string;
  /** From `metadata.template` (OpenAI) or a `<!-- template: NAME -->` marker in the system text. */
  templateName: string | undefined;
  segments: PromptSegment[];
  /** `max_output_tokens` / `max_completion_tokens` / `max_tokens`, when given. */
  maxOutputTokens: number | undefined;
  /** OpenAI `prompt_cache_key`, when given. */
  promptCacheKey: string | undefined;
  /** The full parsed JSON body, as received. */
  body: Record<string, unknown>;
}

/**
 * Provider-neutral usage. `inputTokens` is the whole prompt, *including* cached and cache-written tokens;
 * each wire format then reports it its own way (OpenAI: cached is a subset of input; Anthropic:
 * `input_tokens` excludes cache reads and writes).
 */
export interface Usage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheCreationInputTokens: number;
  /** Includes `reasoningTokens`, as both providers bill them as output. */
  outputTokens: number;
  reasoningTokens: number;
}

/** What the server generated for a request, before a route renders it on the wire. */
export interface Completion {
  id: string;
  /** Unix seconds. */
  created: number;
  text: string;
  /** `length` when the reply was cut at the request's max output tokens. */
  finish: 'stop' | 'length';
  usage: Usage;
  /** Anthropic: cache-write tokens by TTL. */
  cacheCreationByTtl: { '5m': number; '1h': number };
}

export interface RequestLogEntry {
  /** Sequence number from 1, in arrival order. */
  seq: number;
  provider: Provider | undefined;
  route: string;
  method: string;
  model: string | undefined;
  stream: boolean;
  templateName: string | undefined;
  /** Name (or index) of the rule that produced the reply; `default` when none matched. */
  rule: string | undefined;
  /** The full request body as received (parsed JSON), so a test can assert what reached the LLM. */
  body: unknown;
  reply: string | undefined;
  usage: Usage | undefined;
  /** HTTP status sent; undefined when the connection was reset before a status line. */
  status: number | undefined;
  /** Kind of the fault injected into this request, if any. */
  fault: string | undefined;
  /** True when the client went away before the response finished. */
  aborted: boolean;
  startedAt: number;
  latencyMs: number | undefined;
}

export interface UsageTotals extends Usage {
  requests: number;
  byModel: Record<string, Usage & { requests: number }>;
}

/** One wire route: how to read its requests and render a completion as JSON or as SSE frames. */
export interface RouteHandler {
  provider: Provider;
  route: Route;
  parse(body: Record<string, unknown>): LlmRequest;
  newId(): string;
  json(completion: Completion, req: LlmRequest): unknown;
  frames(completion: Completion, req: LlmRequest): SseFrame[];
}
