/** The LLM port: what the codegen core asks of a model, whatever the provider behind it. */

export type ProviderKind = 'openai' | 'anthropic' | 'openai-compatible';

export interface ChatMessage {
  role: 'user' | 'assistant';
  content: string;
}

export interface LlmCall {
  /** Template name: travels as a `<!-- template: NAME -->` marker in the system prompt and in logs. */
  template: string;
  system: string;
  messages: ChatMessage[];
  maxOutputTokens: number;
  /** Stable per repository + task: OpenAI `prompt_cache_key` (routes repeated prefixes to a warm cache). */
  cacheKey?: string;
}

export interface LlmUsage {
  /** The whole prompt, cached and cache-written tokens included. */
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
}

export const ZERO_USAGE: LlmUsage = {
  inputTokens: 0,
  outputTokens: 0,
  cachedInputTokens: 0,
  cacheWriteTokens: 0,
};

export interface ProviderReply {
  text: string;
  usage: LlmUsage;
  model: string;
  finish: 'stop' | 'length' | 'other';
}

export interface ProviderCallOptions {
  signal: AbortSignal;
  /** Called on the first byte and on every streamed chunk (the router's latency and idle watchdogs). */
  onActivity(): void;
}

export interface LlmProvider {
  /** Configured name (e.g. "primary"), shown in reports. */
  name: string;
  kind: ProviderKind;
  model: string;
  complete(call: LlmCall, options: ProviderCallOptions): Promise<ProviderReply>;
}

/** What one routed call produced, for the report and the PR body. */
export interface CallResult {
  text: string;
  provider: string;
  model: string;
  usage: LlmUsage;
  costUsd: number;
  /** Served from the response cache: no provider was called and no tokens were spent. */
  cached: boolean;
  promptHash: string;
  latencyMs: number;
  /** Every attempt, failed ones included (provider, outcome, ms). */
  attempts: { provider: string; outcome: string; ms: number }[];
}
