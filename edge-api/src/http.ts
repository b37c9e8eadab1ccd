/**
 * HTTP plumbing: the Worker's single error mapper (AutocodeError → status + `{ error: { code, message } }`),
 * JSON responses, and body reading with a size limit enforced while streaming (a lying Content-Length cannot
 * make us buffer more than the limit).
 */
import { AutocodeError, ErrorCodes, httpStatusFor, toAutocodeError } from '@autocode/toolkit/errors';
import type { EdgeErrorBody } from '@autocode/toolkit/contract';
import { concat } from './audit/bytes.js';

export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  });
}

/** The one place an error becomes an HTTP response. Internal errors never leak their message. */
export function errorResponse(err: unknown): Response {
  const e = toAutocodeError(err);
  const status = httpStatusFor(e.code);
  const message = e.code === ErrorCodes.INTERNAL ? 'internal error' : e.describe();
  if (status >= 500) console.error(`edge: ${e.code}: ${e.message}`, e.cause ?? '');
  const headers: Record<string, string> = {};
  const retryAfter = e.details?.retryAfterSeconds;
  if (typeof retryAfter === 'number') headers['retry-after'] = String(Math.max(1, Math.ceil(retryAfter)));
  if (status === 401) headers['www-authenticate'] = 'Bearer';
  const body: EdgeErrorBody = { error: { code: e.code, message } };
  return json(body, status, headers);
}

/** Read the raw body, failing with 413 as soon as it exceeds `limit` bytes. */
export async function readBody(request: Request, limit: number): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? '0');
  if (declared > limit) throw tooLarge(limit);
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel();
      throw tooLarge(limit);
    }
    chunks.push(value);
  }
  return concat(...chunks);
}

function tooLarge(limit: number): AutocodeError {
  return new AutocodeError(ErrorCodes.PAYLOAD_TOO_LARGE, `request body exceeds ${limit} bytes`, {
    hint: 'send a smaller body; prompts belong in the repository, not the command',
  });
}

/** Parse a JSON body; malformed JSON is INVALID_INPUT (400). */
export function parseJson(raw: Uint8Array): unknown {
  const text = new TextDecoder().decode(raw);
  if (text.trim() === '') throw new AutocodeError(ErrorCodes.INVALID_INPUT, 'request body is empty');
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      `request body is not valid JSON: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

export async function readJson(request: Request, limit: number): Promise<unknown> {
  return parseJson(await readBody(request, limit));
}
