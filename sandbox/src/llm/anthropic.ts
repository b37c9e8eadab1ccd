/**
 * Anthropic Messages API: `POST /v1/messages`, non-streaming and streaming (shapes of the SDK's `Message`
 * and `RawMessageStreamEvent`). A stream is message_start → content_block_start → ping →
 * content_block_delta (text_delta)… → content_block_stop → message_delta (stop_reason, usage) → message_stop.
 *
 * Validation mirrors the service where clients can trip on it: `max_tokens` is required, `metadata` accepts
 * only `user_id`, and at most 4 blocks may carry `cache_control`.
 */
import { ErrorCodes } from '@autocode/toolkit';
import type { Completion, PromptSegment, RouteHandler } from './types.js';
import * as parts from './request-parts.js';
import { sseFrame } from './sse.js';
import { wireError } from './wire-errors.js';

type Body = Record<string, unknown>;

/** The service rejects a request with more breakpoints than this. */
const MAX_CACHE_BREAKPOINTS = 4;

function invalid(message: string): Error {
  return wireError(ErrorCodes.INVALID_INPUT, message, 400);
}

function cacheControlOf(block: unknown): PromptSegment['cacheControl'] {
  if (!block || typeof block !== 'object') return undefined;
  const cc = (block as Body)['cache_control'] as Body | undefined | null;
  if (!cc) return undefined;
  if (cc['type'] !== 'ephemeral') throw invalid("cache_control.type: Input should be 'ephemeral'");
  const ttl = cc['ttl'] ?? '5m';
  if (ttl !== '5m' && ttl !== '1h') throw invalid("cache_control.ttl: Input should be '5m' or '1h'");
  return { ttl };
}

/** One segment per content block, so each `cache_control` breakpoint sits where the client put it. */
function blockSegments(role: PromptSegment['role'], content: unknown): PromptSegment[] {
  if (typeof content === 'string') return [{ role, text: content }];
  if (!Array.isArray(content)) return [];
  return content.map((block) => {
    const cacheControl = cacheControlOf(block);
    return { role, text: parts.textOf(block), ...(cacheControl ? { cacheControl } : {}) };
  });
}

function messageSegments(messages: unknown[]): PromptSegment[] {
  if (messages.length === 0) throw invalid('messages: at least one message is required');
  return messages.flatMap((m, i) => {
    const msg = (m ?? {}) as Body;
    const role = msg['role'];
    if (role !== 'user' && role !== 'assistant') {
      throw invalid(`messages.${i}.role: Input should be 'user' or 'assistant'`);
    }
    return blockSegments(role, msg['content']);
  });
}

function checkMetadata(metadata: unknown): void {
  if (metadata === undefined || metadata === null) return;
  const extra = typeof metadata === 'object' ? Object.keys(metadata).filter((k) => k !== 'user_id') : ['?'];
  if (extra.length > 0) throw invalid(`metadata.${extra[0]}: Extra inputs are not permitted`);
}

function usageOf(c: Completion): Body {
  const u = c.usage;
  return {
    input_tokens: u.inputTokens - u.cachedInputTokens - u.cacheCreationInputTokens,
    cache_creation_input_tokens: u.cacheCreationInputTokens,
    cache_read_input_tokens: u.cachedInputTokens,
    cache_creation: {
      ephemeral_5m_input_tokens: c.cacheCreationByTtl['5m'],
      ephemeral_1h_input_tokens: c.cacheCreationByTtl['1h'],
    },
    output_tokens: u.outputTokens,
    service_tier: 'standard',
  };
}

const stopReason = (c: Completion): string => (c.finish === 'length' ? 'max_tokens' : 'end_turn');

export const anthropicMessages: RouteHandler = {
  provider: 'anthropic',
  route: 'messages',

  parse(body) {
    const model = parts.requireString(body, 'model', 'model: Field required');
    const maxTokens = parts.optionalInteger(body, 'max_tokens', 1);
    if (maxTokens === undefined) throw invalid('max_tokens: Field required');
    checkMetadata(body['metadata']);
    const tools = parts.optionalArray(body, 'tools').map((tool) => {
      const cacheControl = cacheControlOf(tool);
      return {
        role: 'tools' as const,
        text: JSON.stringify(tool),
        ...(cacheControl ? { cacheControl } : {}),
      };
    });
    const segments = [
      ...tools,
      ...blockSegments('system', body['system']),
      ...messageSegments(parts.optionalArray(body, 'messages')),
    ];
    const breakpoints = segments.filter((s) => s.cacheControl).length;
    if (breakpoints > MAX_CACHE_BREAKPOINTS) {
      throw invalid(
        `A maximum of ${MAX_CACHE_BREAKPOINTS} blocks with cache_control may be provided. Found ${breakpoints}.`,
      );
    }
    return parts.buildRequest('anthropic', 'messages', body, {
      model,
      stream: body['stream'] === true,
      segments,
      maxOutputTokens: maxTokens,
    });
  },

  newId: () => parts.newId('msg_01', 'base62', 22),

  json(c, req) {
    return {
      id: c.id,
      type: 'message',
      role: 'assistant',
      model: req.model,
      content: [{ type: 'text', text: c.text }],
      stop_reason: stopReason(c),
      stop_sequence: null,
      usage: usageOf(c),
    };
  },

  frames(c, req) {
    const usage = usageOf(c);
    const events: Body[] = [
      {
        type: 'message_start',
        message: {
          id: c.id,
          type: 'message',
          role: 'assistant',
          model: req.model,
          content: [],
          stop_reason: null,
          stop_sequence: null,
          usage: { ...usage, output_tokens: Math.min(1, c.usage.outputTokens) },
        },
      },
      { type: 'content_block_start', index: 0, content_block: { type: 'text', text: '' } },
      { type: 'ping' },
      ...parts.deltas(c.text).map((text) => ({
        type: 'content_block_delta',
        index: 0,
        delta: { type: 'text_delta', text },
      })),
      { type: 'content_block_stop', index: 0 },
      {
        type: 'message_delta',
        delta: { stop_reason: stopReason(c), stop_sequence: null },
        usage: {
          input_tokens: usage['input_tokens'],
          cache_creation_input_tokens: usage['cache_creation_input_tokens'],
          cache_read_input_tokens: usage['cache_read_input_tokens'],
          output_tokens: usage['output_tokens'],
        },
      },
      { type: 'message_stop' },
    ];
    return events.map((e) => sseFrame(String(e['type']), e));
  },
};

/** `GET /v1/models` for an Anthropic client: the configured ids in the SDK's `ModelInfo` page shape. */
export function anthropicModelList(models: string[], createdAt: string): unknown {
  const data = models.map((id) => ({ type: 'model', id, display_name: id, created_at: createdAt }));
  return { data, has_more: false, first_id: data[0]?.id ?? null, last_id: data.at(-1)?.id ?? null };
}
