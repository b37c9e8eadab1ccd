/**
 * Provider adapters over the official SDKs. Every call streams, so the router can watch time-to-first-byte
 * (latency failover) and idle gaps (a stream stalled mid-way outlives SDK timeouts, which stop at the
 * headers). SDK retries are off: the router retries, honouring `retry-after`, and fails over.
 *
 * - `openai`: Chat Completions with `prompt_cache_key` (OpenAI caches ≥ 1024-token prefixes automatically;
 *   the key routes a task's repeated prefix to the same cache) and `max_completion_tokens`.
 * - `anthropic`: Messages with `cache_control` breakpoints on the system prompt and on the first user turn
 *   (the context), so reflection, fix-up and review rounds re-read it from the cache.
 * - `openai-compatible`: Chat Completions against a base URL (ollama, vLLM, llama.cpp server), using the
 *   widely supported `max_tokens` and no OpenAI-only parameters.
 */
import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { LlmCall, LlmProvider, ProviderCallOptions, ProviderKind, ProviderReply } from './types.js';

export interface ProviderConfig {
  name: string;
  kind: ProviderKind;
  model: string;
  baseUrl?: string;
  apiKey?: string;
  /** Hard cap per request in ms (the router's watchdogs normally fire first). */
  timeoutMs?: number;
  /** Injected fetch (tests, proxies). */
  fetch?: typeof fetch;
}

/** The marker that names the template to the provider side (and to the sandbox LLM server's rules). */
export const templateMarker = (name: string) => `<!-- template: ${name} -->`;

export function createProvider(config: ProviderConfig): LlmProvider {
  if (config.kind !== 'openai-compatible' && !config.apiKey) {
    throw new AutocodeError(
      ErrorCodes.AUTH_FAILED,
      `LLM provider ${config.name} (${config.kind}) has no API key`,
      {
        hint: 'set the environment variable named by api_key_env (e.g. OPENAI_API_KEY / ANTHROPIC_API_KEY)',
      },
    );
  }
  if (config.kind === 'openai-compatible' && !config.baseUrl) {
    throw new AutocodeError(ErrorCodes.INVALID_INPUT, `LLM provider ${config.name} needs a base_url`, {
      hint: 'e.g. http://localhost:11434/v1 for ollama, http://host:8000/v1 for vLLM',
    });
  }
  return config.kind === 'anthropic' ? anthropicProvider(config) : openaiProvider(config);
}

/** An aborted or truncated stream can end iteration quietly; neither is a reply. */
function assertComplete(signal: AbortSignal, finish: ProviderReply['finish']): void {
  if (signal.aborted) throw new Error('the stream was aborted');
  if (finish === 'other') throw new Error('the stream ended before the model finished');
}

function openaiProvider(config: ProviderConfig): LlmProvider {
  const client = new OpenAI({
    apiKey: config.apiKey || 'unused',
    ...(config.baseUrl ? { baseURL: config.baseUrl } : {}),
    maxRetries: 0,
    timeout: config.timeoutMs ?? 600_000,
    logLevel: 'off',
    ...(config.fetch ? { fetch: config.fetch } : {}),
  });
  const compatible = config.kind === 'openai-compatible';
  return {
    name: config.name,
    kind: config.kind,
    model: config.model,
    async complete(call: LlmCall, { signal, onActivity }: ProviderCallOptions): Promise<ProviderReply> {
      const stream = await client.chat.completions.create(
        {
          model: config.model,
          messages: [
            { role: 'system', content: `${templateMarker(call.template)}\n${call.system}` },
            ...call.messages.map((m) => ({ role: m.role, content: m.content })),
          ],
          stream: true,
          stream_options: { include_usage: true },
          ...(compatible
            ? { max_tokens: call.maxOutputTokens }
            : {
                max_completion_tokens: call.maxOutputTokens,
                ...(call.cacheKey ? { prompt_cache_key: call.cacheKey } : {}),
              }),
        },
        { signal },
      );
      onActivity();
      let text = '';
      let finish: ProviderReply['finish'] = 'other';
      let usage: OpenAI.CompletionUsage | undefined;
      let model = config.model;
      for await (const chunk of stream) {
        onActivity();
        model = chunk.model || model;
        const choice = chunk.choices[0];
        if (choice?.delta?.content) text += choice.delta.content;
        if (choice?.finish_reason) finish = choice.finish_reason === 'length' ? 'length' : 'stop';
        if (chunk.usage) usage = chunk.usage;
      }
      assertComplete(signal, finish);
      return {
        text,
        model,
        finish,
        usage: {
          inputTokens: usage?.prompt_tokens ?? 0,
          outputTokens: usage?.completion_tokens ?? 0,
          cachedInputTokens: usage?.prompt_tokens_details?.cached_tokens ?? 0,
          cacheWriteTokens: 0,
        },
      };
    },
  };
}

function anthropicProvider(config: ProviderConfig): LlmProvider {
  const client = new Anthropic({
    apiKey: config.apiKey!,
    ...(config.baseUrl ? { baseURL: config.baseUrl } : {}),
    maxRetries: 0,
    timeout: config.timeoutMs ?? 600_000,
    logLevel: 'off',
    ...(config.fetch ? { fetch: config.fetch } : {}),
  });
  const ephemeral = { type: 'ephemeral' as const };
  return {
    name: config.name,
    kind: 'anthropic',
    model: config.model,
    async complete(call: LlmCall, { signal, onActivity }: ProviderCallOptions): Promise<ProviderReply> {
      const messages: Anthropic.MessageParam[] = call.messages.map((m, i) => ({
        role: m.role,
        // Breakpoint after the first user turn: it holds the repository context every later round repeats.
        content: i === 0 ? [{ type: 'text', text: m.content, cache_control: ephemeral }] : m.content,
      }));
      const stream = await client.messages.create(
        {
          model: config.model,
          max_tokens: call.maxOutputTokens,
          system: [
            {
              type: 'text',
              text: `${templateMarker(call.template)}\n${call.system}`,
              cache_control: ephemeral,
            },
          ],
          messages,
          stream: true,
        },
        { signal },
      );
      onActivity();
      let text = '';
      let finish: ProviderReply['finish'] = 'other';
      let model = config.model;
      const usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0 };
      for await (const event of stream) {
        onActivity();
        if (event.type === 'message_start') {
          const u = event.message.usage;
          model = event.message.model || model;
          usage.cachedInputTokens = u.cache_read_input_tokens ?? 0;
          usage.cacheWriteTokens = u.cache_creation_input_tokens ?? 0;
          // Anthropic's input_tokens excludes cache reads and writes; ours is the whole prompt.
          usage.inputTokens = u.input_tokens + usage.cachedInputTokens + usage.cacheWriteTokens;
          usage.outputTokens = u.output_tokens;
        } else if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') {
          text += event.delta.text;
        } else if (event.type === 'message_delta') {
          usage.outputTokens = event.usage.output_tokens;
          finish = event.delta.stop_reason === 'max_tokens' ? 'length' : 'stop';
        }
      }
      assertComplete(signal, finish);
      return { text, model, finish, usage };
    },
  };
}
