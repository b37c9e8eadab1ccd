/**
 * Errors in each provider's own JSON shape, so the official SDKs raise their own classes
 * (`RateLimitError`, `AuthenticationError`, `InternalServerError`, …). Handlers throw `AutocodeError`s; this
 * is the one place that turns them into HTTP statuses and bodies.
 */
import { randomBytes } from 'node:crypto';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { ErrorCode } from '@autocode/toolkit';
import type { Provider } from './types.js';

const STATUS_BY_CODE: Partial<Record<ErrorCode, number>> = {
  [ErrorCodes.INVALID_INPUT]: 400,
  [ErrorCodes.AUTH_FAILED]: 401,
  [ErrorCodes.FORBIDDEN]: 403,
  [ErrorCodes.NOT_FOUND]: 404,
  [ErrorCodes.RATE_LIMITED]: 429,
  [ErrorCodes.UPSTREAM_FAILED]: 500,
};

/** An error the server answers with `status` (set explicitly for 413, 503, 529 …). */
export function wireError(code: ErrorCode, message: string, status?: number, param?: string): AutocodeError {
  return new AutocodeError(code, message, { details: { status, param } });
}

export function statusOf(err: AutocodeError): number {
  const explicit = err.details?.['status'];
  return typeof explicit === 'number' ? explicit : (STATUS_BY_CODE[err.code] ?? 500);
}

export function requestId(provider: Provider): string {
  return provider === 'openai'
    ? `req_${randomBytes(16).toString('hex')}`
    : `req_011${randomBytes(12).toString('base64url')}`;
}

/** The request-id header each provider sends on every response. */
export function idHeader(provider: Provider): Record<string, string> {
  return provider === 'openai'
    ? { 'x-request-id': requestId('openai') }
    : { 'request-id': requestId('anthropic') };
}

const OPENAI_TYPES: Record<number, string> = { 429: 'requests', 500: 'server_error', 503: 'server_error' };
const OPENAI_CODES: Record<number, string> = { 401: 'invalid_api_key', 429: 'rate_limit_exceeded' };

const ANTHROPIC_TYPES: Record<number, string> = {
  400: 'invalid_request_error',
  401: 'authentication_error',
  403: 'permission_error',
  404: 'not_found_error',
  413: 'request_too_large',
  429: 'rate_limit_error',
  500: 'api_error',
  529: 'overloaded_error',
};

export interface WireErrorResponse {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

export function renderError(provider: Provider, err: AutocodeError): WireErrorResponse {
  const status = statusOf(err);
  const headers: Record<string, string> = { 'content-type': 'application/json', ...idHeader(provider) };
  if (provider === 'openai') {
    const param = err.details?.['param'];
    const type = OPENAI_TYPES[status] ?? (status >= 500 ? 'server_error' : 'invalid_request_error');
    const code = OPENAI_CODES[status] ?? null;
    return { status, headers, body: { error: { message: err.message, type, param: param ?? null, code } } };
  }
  const type = ANTHROPIC_TYPES[status] ?? (status >= 500 ? 'api_error' : 'invalid_request_error');
  return {
    status,
    headers,
    body: { type: 'error', error: { type, message: err.message }, request_id: headers['request-id'] },
  };
}

/** The message each provider gives for a status the fault injector produces. */
export function faultMessage(provider: Provider, status: number, model: string): string {
  if (status === 429) {
    return provider === 'openai'
      ? `Rate limit reached for ${model} in organization org-sandbox on requests per min (RPM): Limit 500, Used 500, Requested 1.`
      : 'This request would exceed the rate limit for your organization of 50 requests per minute.';
  }
  if (status === 529 || status === 503) {
    return provider === 'openai'
      ? 'The engine is currently overloaded, please try again later.'
      : 'Overloaded';
  }
  return provider === 'openai'
    ? 'The server had an error while processing your request. Sorry about that!'
    : 'Internal server error';
}
