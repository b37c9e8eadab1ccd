/**
 * Edge API client used by every action: job events, audit events and the kill-switch check, authenticated with
 * the GitHub Actions OIDC token (audience = the edge API). Retries 5xx/network failures with backoff and honours
 * `retry-after`. The kill-switch check fails closed: if the edge cannot say "inactive", automation stops.
 */
import { AutocodeError, ErrorCodes } from './errors.js';
import type { AuditEvent, JobEvent, KillSwitchState } from './contract.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';

export interface EdgeClientOptions {
  baseUrl: string;
  /** Returns a bearer token for the audience (core.getIDToken in actions). */
  getToken: (audience: string) => Promise<string>;
  audience?: string;
  fetch?: typeof fetch;
  retries?: number;
  /** Base backoff in ms (doubles per attempt). */
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  log?: Logger;
  /** Proceed when the kill-switch state cannot be read (default false: fail closed). */
  killSwitchFailOpen?: boolean;
  timeoutMs?: number;
}

export const DEFAULT_EDGE_AUDIENCE = 'autocode-edge';

export class EdgeClient {
  private readonly base: string;
  private readonly doFetch: typeof fetch;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly log: Logger;

  constructor(private readonly options: EdgeClientOptions) {
    let url: URL;
    try {
      url = new URL(options.baseUrl);
    } catch (err) {
      throw new AutocodeError(ErrorCodes.INVALID_INPUT, `edge API URL "${options.baseUrl}" is not a URL`, {
        cause: err,
        hint: 'set edge-url to the Worker origin, e.g. https://autocode.example.workers.dev',
      });
    }
    this.base = url.toString().replace(/\/+$/, '');
    this.doFetch = options.fetch ?? fetch;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.log = options.log ?? silentLogger;
  }

  postJobEvent(jobId: string, event: JobEvent): Promise<unknown> {
    return this.request('POST', `/v1/jobs/${encodeURIComponent(jobId)}/events`, event);
  }

  postAuditEvent(event: AuditEvent): Promise<unknown> {
    return this.request('POST', '/v1/audit/events', event);
  }

  async killSwitch(): Promise<KillSwitchState> {
    return (await this.request('GET', '/v1/killswitch')) as KillSwitchState;
  }

  /** Throws KILL_SWITCH_ACTIVE when automation must stop (tripped, or unknown and failing closed). */
  async assertNotKilled(): Promise<void> {
    let state: KillSwitchState;
    try {
      state = await this.killSwitch();
    } catch (err) {
      if (this.options.killSwitchFailOpen) {
        this.log.warning(
          `kill-switch state unknown (${(err as Error).message}); proceeding because fail-open is set`,
        );
        return;
      }
      throw new AutocodeError(
        ErrorCodes.KILL_SWITCH_ACTIVE,
        `Kill-switch state could not be read (${(err as Error).message}); failing closed`,
        {
          cause: err,
          hint: 'check the edge API is reachable and the workflow has `permissions: id-token: write`',
        },
      );
    }
    if (state.active) {
      throw new AutocodeError(
        ErrorCodes.KILL_SWITCH_ACTIVE,
        `The autocode kill switch is active${state.reason ? ` (${state.reason})` : ''}; no automation writes are allowed`,
        { hint: 'an admin can clear it from the mobile app or POST /v1/killswitch', details: { ...state } },
      );
    }
  }

  private async request(method: string, path: string, body?: unknown): Promise<unknown> {
    const retries = this.options.retries ?? 3;
    const backoff = this.options.backoffMs ?? 500;
    let lastError: unknown;
    for (let attempt = 0; attempt <= retries; attempt++) {
      let wait = backoff * 2 ** attempt;
      try {
        const token = await this.options.getToken(this.options.audience ?? DEFAULT_EDGE_AUDIENCE);
        const res = await this.doFetch(`${this.base}${path}`, {
          method,
          headers: {
            authorization: `Bearer ${token}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
        });
        const text = await res.text();
        if (res.ok) return text ? JSON.parse(text) : {};
        const detail = edgeErrorMessage(text) ?? res.statusText;
        if (res.status < 500 && res.status !== 429) {
          throw new AutocodeError(
            res.status === 401
              ? ErrorCodes.AUTH_FAILED
              : res.status === 423
                ? ErrorCodes.KILL_SWITCH_ACTIVE
                : ErrorCodes.INVALID_INPUT,
            `edge API ${method} ${path} answered ${res.status}: ${detail}`,
          );
        }
        const retryAfter = Number(res.headers.get('retry-after'));
        if (Number.isFinite(retryAfter) && retryAfter > 0) wait = retryAfter * 1000;
        lastError = new AutocodeError(
          ErrorCodes.UPSTREAM_FAILED,
          `edge API ${method} ${path} answered ${res.status}: ${detail}`,
        );
      } catch (err) {
        if (err instanceof AutocodeError) throw err;
        lastError = err;
      }
      if (attempt < retries) {
        this.log.warning(
          `edge API ${method} ${path} failed (attempt ${attempt + 1}); retrying in ${wait} ms`,
        );
        await this.sleep(wait);
      }
    }
    throw lastError instanceof AutocodeError
      ? lastError
      : new AutocodeError(
          ErrorCodes.UPSTREAM_FAILED,
          `edge API ${method} ${path} unreachable: ${(lastError as Error)?.message}`,
          {
            cause: lastError,
          },
        );
  }
}

function edgeErrorMessage(text: string): string | undefined {
  try {
    const parsed = JSON.parse(text) as { error?: { message?: string } };
    return parsed.error?.message;
  } catch {
    return text ? text.slice(0, 200) : undefined;
  }
}
