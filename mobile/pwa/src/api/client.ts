/**
 * Typed client of the edge API. One place turns HTTP failures into `ApiError` (the edge's
 * `{ error: { code, message } }`), refuses writes while offline (they are never queued), and reports when a read
 * was answered from the service worker's cache.
 */
import type { EdgeErrorBody } from '@autocode/toolkit/contract';
import { isOnline, reportReachable } from '../connectivity.js';
import { CACHED_AT_HEADER } from './paths.js';
import type * as T from './types.js';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

export interface Read<T> {
  data: T;
  /** ISO time the cached copy was fetched, when the service worker answered from its cache. */
  cachedAt?: string;
}

export interface ClientOptions {
  /** Current access token, or undefined when signed out. */
  token: () => string | undefined;
  /** Called on 401 so the app can end the session. */
  onUnauthorized: () => void;
  deviceId: string;
  online?: () => boolean;
  fetch?: typeof fetch;
  base?: string;
}

export class EdgeApi {
  private readonly fetch: typeof fetch;
  constructor(private readonly opts: ClientOptions) {
    this.fetch = opts.fetch ?? ((input, init) => fetch(input, init));
  }

  // Reads (cacheable by the service worker).
  jobs = (all = false) => this.get<T.JobList>(`/v1/commands${all ? '?all=1&limit=200' : ''}`);
  job = (id: string) => this.get<T.Job>(`/v1/status/${encodeURIComponent(id)}`);
  prs = async (state: 'open' | 'closed' | 'merged' | 'all' = 'open') => {
    const r = await this.get<T.PrList>(`/v1/prs?state=${state}`);
    return { ...r, data: { prs: r.data.prs.map(withChecks) } };
  };
  pr = async (id: number) => {
    const r = await this.get<T.PrDetail>(`/v1/prs/${id}`);
    return { ...r, data: withChecks(r.data) };
  };
  killSwitch = () => this.get<T.KillSwitchState>('/v1/killswitch');
  proposals = () => this.get<T.BillingList>('/v1/billing/proposals');
  system = () => this.get<T.SystemStatus>('/v1/system');

  // Writes (refused offline).
  submitCommand = (body: T.CommandBody, idempotencyKey: string) =>
    this.send<T.CommandAccepted>('POST', '/v1/commands', body, { 'idempotency-key': idempotencyKey });
  approvalChallenge = (target: T.ApprovalTarget) =>
    this.send<T.ApprovalChallenge>('POST', '/v1/approvals/challenge', target);
  approve = (body: T.ApprovalBody) => this.send<T.ApprovalResult>('POST', '/v1/approvals', body);
  registrationOptions = () => this.send<Record<string, unknown>>('POST', '/v1/webauthn/register/options', {});
  registrationVerify = (response: unknown) =>
    this.send<T.RegistrationResult>('POST', '/v1/webauthn/register/verify', response);
  setKillSwitch = (body: T.KillSwitchBody) => this.send<T.KillSwitchState>('POST', '/v1/killswitch', body);
  createProposal = (body: { setting: T.BillingSetting; value: number; reason: string }) =>
    this.send<T.ProposalCreated>('POST', '/v1/billing/proposals', body);
  approveProposal = (id: string) =>
    this.send<T.BillingProposal>('POST', `/v1/billing/proposals/${encodeURIComponent(id)}/approve`, {});
  subscribePush = (sub: T.PushSubscriptionBody) => this.send('POST', '/v1/push/subscriptions', sub);
  unsubscribePush = (endpoint: string) => this.send('DELETE', '/v1/push/subscriptions', { endpoint });

  async get<R>(path: string): Promise<Read<R>> {
    const res = await this.request('GET', path);
    const cachedAt = res.headers.get(CACHED_AT_HEADER) ?? undefined;
    return { data: (await res.json()) as R, ...(cachedAt ? { cachedAt } : {}) };
  }

  async send<R>(
    method: string,
    path: string,
    body: unknown,
    headers: Record<string, string> = {},
  ): Promise<R> {
    if (!(this.opts.online?.() ?? isOnline())) {
      throw new ApiError(0, 'OFFLINE', 'You are offline: changes are disabled until the connection returns.');
    }
    const res = await this.request(method, path, body, headers);
    const text = await res.text();
    return (text ? JSON.parse(text) : {}) as R;
  }

  private async request(
    method: string,
    path: string,
    body?: unknown,
    extra: Record<string, string> = {},
  ): Promise<Response> {
    const token = this.opts.token();
    if (!token) throw new ApiError(401, 'AUTH_FAILED', 'You are signed out.');
    const headers: Record<string, string> = {
      accept: 'application/json',
      authorization: `Bearer ${token}`,
      'x-device-id': this.opts.deviceId,
      ...extra,
    };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetch(`${this.opts.base ?? ''}${path}`, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        // Writes and their answers must never come from or land in an HTTP cache.
        cache: method === 'GET' ? 'default' : 'no-store',
      });
    } catch {
      reportReachable(false);
      throw new ApiError(
        0,
        'OFFLINE',
        'The edge API cannot be reached (offline, and nothing saved for this view).',
      );
    }
    reportReachable(!res.headers.has(CACHED_AT_HEADER));
    if (res.ok) return res;
    throw await toApiError(res, this.opts.onUnauthorized);
  }
}

/** `GET /v1/prs/{id}` sends `checks` as the stored JSON text while the list parses it: accept both. */
function withChecks<P extends T.PrSummary>(pr: P): P {
  const c = pr.checks as unknown;
  if (typeof c !== 'string') return pr;
  try {
    return { ...pr, checks: JSON.parse(c) as T.CheckSummary };
  } catch {
    return { ...pr, checks: null };
  }
}

async function toApiError(res: Response, onUnauthorized: () => void): Promise<ApiError> {
  if (res.status === 401) onUnauthorized();
  const retry = Number(res.headers.get('retry-after') ?? '');
  let code = `HTTP_${res.status}`;
  let message = res.statusText || `request failed with ${res.status}`;
  try {
    const body = (await res.json()) as Partial<EdgeErrorBody>;
    if (body.error?.code) code = body.error.code;
    if (body.error?.message) message = body.error.message;
  } catch {
    // Not JSON (a proxy's error page): keep the status line.
  }
  return new ApiError(res.status, code, message, Number.isFinite(retry) && retry > 0 ? retry : undefined);
}

/** What a person should read for an error: the edge's message (and hint), with the kill switch called out. */
export function describeError(err: unknown): string {
  if (err instanceof ApiError) {
    const [first = err.message] = err.message.split('\n');
    if (err.status === 423)
      return `Refused: ${first}. An admin can clear the kill switch on the Admin screen.`;
    if (err.status === 429) return `Too many requests; try again in ${err.retryAfterSeconds ?? 60} s.`;
    return err.message;
  }
  return err instanceof Error ? err.message : String(err);
}
