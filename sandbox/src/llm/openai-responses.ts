/**
 * OpenAI Responses API: `POST /v1/responses`, non-streaming and streaming. Shapes follow the `openai` SDK's
 * `Response` and `ResponseStreamEvent` types; the stream is the sequence the service sends for a text reply:
 * created → in_progress → output_item.added → content_part.added → output_text.delta… → output_text.done →
 * content_part.done → output_item.done → completed (or incomplete when cut at `max_output_tokens`).
 */
import { ErrorCodes } from '@autocode/toolkit';
import type { Completion, LlmRequest, PromptSegment, RouteHandler } from './types.js';
import * as parts from './request-parts.js';
import { sseFrame } from './sse.js';
import type { SseFrame } from './sse.js';
import { wireError } from './wire-errors.js';

type Body = Record<string, unknown>;

function inputSegments(input: unknown): PromptSegment[] {
  if (typeof input === 'string') return [{ role: 'user', text: input }];
  if (!Array.isArray(input)) {
    throw wireError(ErrorCodes.INVALID_INPUT, "Missing required parameter: 'input'.", 400, 'input');
  }
  return input.map((item: unknown): PromptSegment => {
    const it = (item ?? {}) as Body;
    const type = typeof it['type'] === 'string' ? it['type'] : 'message';
    if (type === 'message' || it['role'] !== undefined) {
      return { role: parts.OPENAI_ROLES[String(it['role'])] ?? 'user', text: parts.textOf(it['content']) };
    }
    if (type.endsWith('_output')) return { role: 'tool', text: parts.textOf(it) };
    return { role: 'assistant', text: parts.textOf(it) };
  });
}

export function usageOf(c: Completion): Body {
  const u = c.usage;
  return {
    input_tokens: u.inputTokens,
    input_tokens_details: { cached_tokens: u.cachedInputTokens, cache_write_tokens: 0 },
    output_tokens: u.outputTokens,
    output_tokens_details: { reasoning_tokens: u.reasoningTokens },
    total_tokens: u.inputTokens + u.outputTokens,
  };
}

function outputText(text: string): Body {
  return { type: 'output_text', annotations: [], logprobs: [], text };
}

function message(id: string, c: Completion, done: boolean): Body {
  return {
    id,
    type: 'message',
    status: !done ? 'in_progress' : c.finish === 'length' ? 'incomplete' : 'completed',
    content: done ? [outputText(c.text)] : [],
    role: 'assistant',
  };
}

/** The `Response` object; `done: false` gives the in-progress snapshot streams open with. */
function responseObject(c: Completion, req: LlmRequest, messageId: string, done: boolean): Body {
  const b = req.body;
  const status = !done ? 'in_progress' : c.finish === 'length' ? 'incomplete' : 'completed';
  return {
    id: c.id,
    object: 'response',
    created_at: c.created,
    status,
    background: false,
    completed_at: done && status === 'completed' ? c.created : null,
    error: null,
    incomplete_details: done && c.finish === 'length' ? { reason: 'max_output_tokens' } : null,
    instructions: b['instructions'] ?? null,
    max_output_tokens: b['max_output_tokens'] ?? null,
    max_tool_calls: null,
    model: req.model,
    output: done ? [message(messageId, c, true)] : [],
    parallel_tool_calls: b['parallel_tool_calls'] ?? true,
    previous_response_id: b['previous_response_id'] ?? null,
    prompt_cache_key: b['prompt_cache_key'] ?? null,
    reasoning: b['reasoning'] ?? { effort: null, summary: null },
    safety_identifier: null,
    service_tier: 'default',
    store: b['store'] ?? true,
    temperature: b['temperature'] ?? 1,
    text: b['text'] ?? { format: { type: 'text' }, verbosity: 'medium' },
    tool_choice: b['tool_choice'] ?? 'auto',
    tools: b['tools'] ?? [],
    top_logprobs: 0,
    top_p: b['top_p'] ?? 1,
    truncation: 'disabled',
    usage: done ? usageOf(c) : null,
    user: null,
    metadata: b['metadata'] ?? {},
  };
}

/** Message item ids are derived from the response id so `json` and `frames` agree. */
function messageIdOf(c: Completion): string {
  return `msg_${c.id.slice('resp_'.length)}`;
}

export const openAiResponses: RouteHandler = {
  provider: 'openai',
  route: 'responses',

  parse(body) {
    const instructions = typeof body['instructions'] === 'string' ? body['instructions'] : '';
    return parts.openAiRequest('responses', body, {
      messages: [
        ...(instructions === '' ? [] : [{ role: 'system' as const, text: instructions }]),
        ...inputSegments(body['input']),
      ],
      maxOutputTokens: parts.optionalInteger(body, 'max_output_tokens', 16),
    });
  },

  newId: () => parts.newId('resp_', 'hex', 48),

  json(c, req) {
    return responseObject(c, req, messageIdOf(c), true);
  },

  frames(c, req) {
    const itemId = messageIdOf(c);
    const at = { output_index: 0, content_index: 0, item_id: itemId };
    const events: Body[] = [
      { type: 'response.created', response: responseObject(c, req, itemId, false) },
      { type: 'response.in_progress', response: responseObject(c, req, itemId, false) },
      { type: 'response.output_item.added', output_index: 0, item: message(itemId, c, false) },
      { type: 'response.content_part.added', ...at, part: outputText('') },
      ...parts
        .deltas(c.text)
        .map((delta) => ({ type: 'response.output_text.delta', ...at, delta, logprobs: [] })),
      { type: 'response.output_text.done', ...at, text: c.text, logprobs: [] },
      { type: 'response.content_part.done', ...at, part: outputText(c.text) },
      { type: 'response.output_item.done', output_index: 0, item: message(itemId, c, true) },
      {
        type: c.finish === 'length' ? 'response.incomplete' : 'response.completed',
        response: responseObject(c, req, itemId, true),
      },
    ];
    return events.map((e, sequence_number): SseFrame =>
      sseFrame(String(e['type']), { ...e, sequence_number }),
    );
  },
};
