/**
 * Reading request bodies the way the providers validate them, and flattening their content blocks into
 * text (what rules match on and tokens are counted over).
 */
import { randomBytes } from 'node:crypto';
import { ErrorCodes } from '@autocode/toolkit';
import { templateNameOf } from './rules.js';
import type { LlmRequest, PromptSegment, Provider, Route } from './types.js';
import { wireError } from './wire-errors.js';

const BASE62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Provider-style ids: `resp_<hex>`, `chatcmpl-<base62>`, `msg_01<base62>`. */
export function newId(prefix: string, style: 'hex' | 'base62', length: number): string {
  const bytes = randomBytes(length);
  if (style === 'hex') return prefix + bytes.toString('hex').slice(0, length);
  return prefix + Array.from(bytes, (b) => BASE62[b % 62]).join('');
}

export function nowSeconds(now: () => number): number {
  return Math.floor(now() / 1000);
}

type Body = Record<string, unknown>;

/** Text of any content shape: strings, arrays of blocks, `{text}` / `{content}` / `{output}` blocks. */
export function textOf(content: unknown): string {
  if (content === undefined || content === null) return '';
  if (typeof content === 'string') return content;
  if (Array.isArray(content))
    return content
      .map(textOf)
      .filter((t) => t !== '')
      .join('\n');
  if (typeof content !== 'object') return String(content);
  const block = content as Body;
  const type = typeof block['type'] === 'string' ? block['type'] : '';
  // An image costs a fixed-ish number of tokens, not the length of its base64 payload.
  if (/image|file|document/.test(type)) return `[${type}]`;
  if (typeof block['text'] === 'string') return block['text'];
  if ('content' in block) return textOf(block['content']);
  if ('output' in block) return textOf(block['output']);
  if (typeof block['name'] === 'string') {
    const args = block['arguments'] ?? block['input'] ?? {};
    return `${block['name']}(${typeof args === 'string' ? args : JSON.stringify(args)})`;
  }
  return JSON.stringify(block);
}

export function requireString(body: Body, key: string, message?: string): string {
  const value = body[key];
  if (typeof value === 'string' && value !== '') return value;
  throw wireError(ErrorCodes.INVALID_INPUT, message ?? `Missing required parameter: '${key}'.`, 400, key);
}

export function optionalInteger(body: Body, key: string, min: number): number | undefined {
  const value = body[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= min) return value;
  throw wireError(
    ErrorCodes.INVALID_INPUT,
    `Invalid '${key}': integer below minimum value. Expected a value >= ${min}, but got ${String(value)} instead.`,
    400,
    key,
  );
}

export function optionalArray(body: Body, key: string): unknown[] {
  const value = body[key];
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value;
  throw wireError(ErrorCodes.INVALID_INPUT, `Invalid type for '${key}': expected an array.`, 400, key);
}

/** OpenAI message roles as prompt segments (`developer` is the newer name for `system`). */
export const OPENAI_ROLES: Record<string, PromptSegment['role']> = {
  system: 'system',
  developer: 'system',
  user: 'user',
  assistant: 'assistant',
  tool: 'tool',
  function: 'tool',
};

/** One `tools` segment: tool definitions are part of the prompt and count as input tokens. */
export function toolSegments(tools: unknown[]): PromptSegment[] {
  return tools.length === 0 ? [] : [{ role: 'tools', text: JSON.stringify(tools) }];
}

/** OpenAI metadata: at most 16 string values (keys ≤ 64 characters, values ≤ 512). */
export function checkOpenAiMetadata(metadata: unknown): void {
  if (metadata === undefined || metadata === null) return;
  const entries =
    typeof metadata === 'object' && !Array.isArray(metadata) ? Object.entries(metadata) : undefined;
  const valid =
    entries !== undefined &&
    entries.length <= 16 &&
    entries.every(([k, v]) => k.length <= 64 && typeof v === 'string' && v.length <= 512);
  if (!valid) {
    throw wireError(
      ErrorCodes.INVALID_INPUT,
      "Invalid 'metadata': expected an object with at most 16 string values.",
      400,
      'metadata',
    );
  }
}

export interface RequestParts {
  model: string;
  stream: boolean;
  segments: PromptSegment[];
  maxOutputTokens: number | undefined;
  promptCacheKey?: string | undefined;
  metadata?: unknown;
}

/** Assemble the provider-neutral request: system and prompt text are derived from the segments. */
export function buildRequest(provider: Provider, route: Route, body: Body, parts: RequestParts): LlmRequest {
  const join = (pick: (s: PromptSegment) => boolean): string =>
    parts.segments
      .filter(pick)
      .map((s) => s.text)
      .join('\n\n');
  const system = join((s) => s.role === 'system');
  return {
    provider,
    route,
    model: parts.model,
    stream: parts.stream,
    system,
    prompt: join((s) => s.role !== 'system' && s.role !== 'tools'),
    templateName: templateNameOf(parts.metadata, system),
    segments: parts.segments,
    maxOutputTokens: parts.maxOutputTokens,
    promptCacheKey: parts.promptCacheKey,
    body,
  };
}

/** What both OpenAI routes share: `model`, `metadata`, `tools`, `stream`, `prompt_cache_key`. */
export function openAiRequest(
  route: Route,
  body: Body,
  own: { messages: PromptSegment[]; maxOutputTokens: number | undefined },
): LlmRequest {
  const model = requireString(body, 'model');
  checkOpenAiMetadata(body['metadata']);
  return buildRequest('openai', route, body, {
    model,
    stream: body['stream'] === true,
    segments: [...toolSegments(optionalArray(body, 'tools')), ...own.messages],
    maxOutputTokens: own.maxOutputTokens,
    promptCacheKey: typeof body['prompt_cache_key'] === 'string' ? body['prompt_cache_key'] : undefined,
    metadata: body['metadata'],
  });
}

/** Split a reply into word-sized deltas, as a model streams it; joined they give the text back. */
export function deltas(text: string): string[] {
  return text === '' ? [] : text.split(/(?<=\s)(?=\S)/);
}
