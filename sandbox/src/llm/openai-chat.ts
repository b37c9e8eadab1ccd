/**
 * OpenAI Chat Completions: `POST /v1/chat/completions` (shapes of the SDK's `ChatCompletion` and
 * `ChatCompletionChunk`) and `GET /v1/models`. A stream is role chunk → content chunks → finish chunk →
 * (with `stream_options.include_usage`) a usage chunk with empty `choices` → `data: [DONE]`.
 */
import { ErrorCodes } from '@autocode/toolkit';
import type { Completion, LlmRequest, PromptSegment, RouteHandler } from './types.js';
import * as parts from './request-parts.js';
import { sseFrame } from './sse.js';
import { wireError } from './wire-errors.js';

type Body = Record<string, unknown>;

const SYSTEM_FINGERPRINT = 'fp_sandbox';

function messageSegments(messages: unknown[]): PromptSegment[] {
  if (messages.length === 0) {
    throw wireError(ErrorCodes.INVALID_INPUT, "Missing required parameter: 'messages'.", 400, 'messages');
  }
  return messages.map((m: unknown, i): PromptSegment => {
    const msg = (m ?? {}) as Body;
    const role = parts.OPENAI_ROLES[String(msg['role'])];
    if (!role) {
      throw wireError(
        ErrorCodes.INVALID_INPUT,
        `Invalid value: '${String(msg['role'])}'. Supported values are: 'system', 'assistant', 'user', 'function', 'tool', and 'developer'.`,
        400,
        `messages[${i}].role`,
      );
    }
    const calls = Array.isArray(msg['tool_calls'])
      ? msg['tool_calls'].map((c) => parts.textOf((c as Body)['function']))
      : [];
    return { role, text: [parts.textOf(msg['content']), ...calls].filter((t) => t !== '').join('\n') };
  });
}

function usageOf(c: Completion): Body {
  const u = c.usage;
  return {
    prompt_tokens: u.inputTokens,
    completion_tokens: u.outputTokens,
    total_tokens: u.inputTokens + u.outputTokens,
    prompt_tokens_details: { cached_tokens: u.cachedInputTokens, audio_tokens: 0 },
    completion_tokens_details: {
      reasoning_tokens: u.reasoningTokens,
      audio_tokens: 0,
      accepted_prediction_tokens: 0,
      rejected_prediction_tokens: 0,
    },
  };
}

function includeUsage(req: LlmRequest): boolean {
  const options = req.body['stream_options'] as Body | undefined;
  return options?.['include_usage'] === true;
}

export const openAiChat: RouteHandler = {
  provider: 'openai',
  route: 'chat.completions',

  parse(body) {
    return parts.openAiRequest('chat.completions', body, {
      messages: messageSegments(parts.optionalArray(body, 'messages')),
      maxOutputTokens:
        parts.optionalInteger(body, 'max_completion_tokens', 1) ??
        parts.optionalInteger(body, 'max_tokens', 1),
    });
  },

  newId: () => parts.newId('chatcmpl-', 'base62', 29),

  json(c, req) {
    return {
      id: c.id,
      object: 'chat.completion',
      created: c.created,
      model: req.model,
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: c.text, refusal: null, annotations: [] },
          logprobs: null,
          finish_reason: c.finish,
        },
      ],
      usage: usageOf(c),
      service_tier: 'default',
      system_fingerprint: SYSTEM_FINGERPRINT,
    };
  },

  frames(c, req) {
    const withUsage = includeUsage(req);
    const chunk = (choices: unknown[], usage: unknown = null): Body => ({
      id: c.id,
      object: 'chat.completion.chunk',
      created: c.created,
      model: req.model,
      service_tier: 'default',
      system_fingerprint: SYSTEM_FINGERPRINT,
      choices,
      ...(withUsage ? { usage } : {}),
    });
    const choice = (delta: Body, finish: string | null = null): Body => ({
      index: 0,
      delta,
      logprobs: null,
      finish_reason: finish,
    });
    const chunks = [
      chunk([choice({ role: 'assistant', content: '', refusal: null })]),
      ...parts.deltas(c.text).map((content) => chunk([choice({ content })])),
      chunk([choice({}, c.finish)]),
      ...(withUsage ? [chunk([], usageOf(c))] : []),
    ];
    return [...chunks.map((data) => sseFrame(undefined, data)), sseFrame(undefined, '[DONE]')];
  },
};

/** `GET /v1/models`: the configured model ids in the SDK's `Model` shape. */
export function modelList(models: string[], created: number): unknown {
  return {
    object: 'list',
    data: models.map((id) => ({ id, object: 'model', created, owned_by: 'system' })),
  };
}
