/**
 * Injected faults: per route (GitHub path template, optionally with the method: 'POST /repos/{owner}/{repo}/git/trees'),
 * a status (5xx, 403/429 secondary rate limit with `retry-after`, 422, …), latency, or both, for `times` requests.
 */
import { DOCS } from './http-errors.js';

export interface FaultSpec {
  /** HTTP method; also accepted as a prefix of `route`. */
  method?: string;
  /** Route template (e.g. '/repos/{owner}/{repo}/pulls') or 'METHOD template'; omitted = every route. */
  route?: string;
  /** Status to answer with; omitted = only add latency. */
  status?: number;
  /** How many matching requests to affect (default 1; Infinity for all). */
  times?: number;
  /** Seconds for the `retry-after` header (403/429 default to 1). */
  retryAfter?: number;
  latencyMs?: number;
  /** Response body (default: GitHub's body for that status). */
  body?: unknown;
  headers?: Record<string, string>;
}

export interface Fault extends FaultSpec {
  id: number;
  remaining: number;
  hits: number;
}

export interface FaultResponse {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

const SECONDARY =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID.';

function defaultBody(status: number): unknown {
  const messages: Record<number, string> = {
    403: SECONDARY,
    429: SECONDARY,
    422: 'Validation Failed',
    500: 'Server Error',
    502: 'Server Error',
    503: 'Service Unavailable',
    504: "We couldn't respond to your request in time. Sorry about that. Please try resubmitting your request and contact us if the problem persists.",
  };
  return { message: messages[status] ?? 'Injected fault', documentation_url: DOCS, status: String(status) };
}

export class Faults {
  private readonly list: Fault[] = [];
  private nextId = 1;

  add(spec: FaultSpec): Fault {
    let { method, route } = spec;
    const m = route ? /^([A-Z]+)\s+(\S+)$/.exec(route) : null;
    if (m) [method, route] = [m[1], m[2]];
    const fault: Fault = {
      ...spec,
      ...(method ? { method: method.toUpperCase() } : {}),
      ...(route ? { route } : {}),
      id: this.nextId++,
      remaining: spec.times ?? 1,
      hits: 0,
    };
    this.list.push(fault);
    return fault;
  }

  clear(): void {
    this.list.length = 0;
  }

  get active(): readonly Fault[] {
    return this.list.filter((f) => f.remaining > 0);
  }

  /** Consume the first matching fault for this request, if any. */
  take(method: string, template: string | undefined, path: string): Fault | undefined {
    const fault = this.list.find(
      (f) =>
        f.remaining > 0 &&
        (!f.method || f.method === method) &&
        (!f.route || f.route === template || f.route === path),
    );
    if (fault) {
      fault.remaining--;
      fault.hits++;
    }
    return fault;
  }

  static response(fault: Fault): FaultResponse | undefined {
    if (fault.status === undefined) return undefined;
    const headers: Record<string, string> = { ...fault.headers };
    if (fault.retryAfter !== undefined || fault.status === 403 || fault.status === 429) {
      headers['retry-after'] = String(fault.retryAfter ?? 1);
    }
    return { status: fault.status, body: fault.body ?? defaultBody(fault.status), headers };
  }
}
