/**
 * Injectable faults. Each fault targets requests by provider / route / model and fires for a number of
 * matching requests (`after` skipped first, then `times`, unlimited when omitted). On a request, every
 * matching `latency` fault adds its delay before the first byte, then the first matching other fault
 * decides how the response breaks.
 */
import type { Provider, Route } from './types.js';

export interface FaultTarget {
  provider?: Provider;
  route?: Route;
  model?: string;
  /** Let this many matching requests through untouched first. */
  after?: number;
  /** Fire for this many matching requests, then stop; unlimited when omitted. */
  times?: number;
}

export type Fault = FaultTarget &
  (
    | { kind: 'latency'; ms: number }
    /** 429 in the provider's error shape with `retry-after` (seconds, default 1). */
    | { kind: 'rate_limit'; retryAfter?: number }
    /** A 5xx in the provider's error shape: 500 (default), 503, or Anthropic's 529 overloaded. */
    | { kind: 'server_error'; status?: number }
    /** 200 whose JSON body is cut short; on a stream, an event whose data is not JSON after `afterEvents`. */
    | { kind: 'malformed'; afterEvents?: number }
    /**
     * The response stops without closing: a stream after `afterEvents` events (default 2), a non-streaming
     * response before any byte. Resumes after `ms`, or never (until the client goes away) when omitted.
     */
    | { kind: 'stall'; afterEvents?: number; ms?: number }
    /** The TCP connection is destroyed: before any byte, or on a stream after `afterEvents` events. */
    | { kind: 'reset'; afterEvents?: number }
  );

export type FaultKind = Fault['kind'];
export type BreakingFault = Exclude<Fault, { kind: 'latency' }>;

export interface FaultPlan {
  latencyMs: number;
  fault: BreakingFault | undefined;
}

interface Armed {
  fault: Fault;
  seen: number;
}

export class FaultBook {
  private armed: Armed[] = [];

  constructor(faults: Fault[] = []) {
    for (const fault of faults) this.add(fault);
  }

  add(fault: Fault): void {
    this.armed.push({ fault, seen: 0 });
  }

  clear(): void {
    this.armed = [];
  }

  /** Consume the faults this request triggers. */
  take(req: { provider: Provider; route: Route; model: string }): FaultPlan {
    const plan: FaultPlan = { latencyMs: 0, fault: undefined };
    for (const entry of this.armed) {
      const { fault } = entry;
      if (fault.provider !== undefined && fault.provider !== req.provider) continue;
      if (fault.route !== undefined && fault.route !== req.route) continue;
      if (fault.model !== undefined && fault.model !== req.model) continue;
      if (fault.kind !== 'latency' && plan.fault) continue;
      const index = entry.seen++;
      const skip = fault.after ?? 0;
      if (index < skip || (fault.times !== undefined && index >= skip + fault.times)) continue;
      if (fault.kind === 'latency') plan.latencyMs += fault.ms;
      else plan.fault = fault;
    }
    return plan;
  }
}
