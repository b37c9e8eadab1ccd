/**
 * The repository_dispatch request for a job. GitHub's limits: event_type ≤ 100 characters, client_payload
 * ≤ 10 top-level properties and < 64 KB; GitHub does not de-duplicate dispatches, so `job_id` travels in the
 * payload for the workflow to report back with.
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';

export const MAX_PAYLOAD_KEYS = 10;
export const MAX_PAYLOAD_BYTES = 64 * 1024 - 1;
export const MAX_EVENT_TYPE = 100;

export interface DispatchRequest {
  event_type: string;
  client_payload: Record<string, unknown>;
}

export function dispatchRequest(eventType: string, payload: Record<string, unknown>): DispatchRequest {
  if (eventType.length > MAX_EVENT_TYPE) {
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      `event_type is longer than ${MAX_EVENT_TYPE} characters`,
    );
  }
  const keys = Object.keys(payload);
  if (keys.length > MAX_PAYLOAD_KEYS) {
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      `client_payload has ${keys.length} keys; GitHub allows 10`,
    );
  }
  const size = new TextEncoder().encode(JSON.stringify(payload)).byteLength;
  if (size > MAX_PAYLOAD_BYTES) {
    throw new AutocodeError(
      ErrorCodes.PAYLOAD_TOO_LARGE,
      `client_payload is ${size} bytes; GitHub allows < 64 KB`,
    );
  }
  return { event_type: eventType, client_payload: payload };
}

/** Exponential backoff with a cap, overridden by GitHub's `retry-after` when it sends one. */
export function backoffMs(attempt: number, baseMs: number, retryAfterSeconds?: number): number {
  if (retryAfterSeconds !== undefined && retryAfterSeconds > 0) return retryAfterSeconds * 1000;
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 15 * 60 * 1000);
}
