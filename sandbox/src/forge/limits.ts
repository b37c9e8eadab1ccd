/**
 * Rate accounting: the primary limit GitHub reports in `x-ratelimit-*` headers (5,000/h for installations and
 * users, 60/h anonymous), and the optional content-creation secondary limit (GitHub: at most 80
 * content-creating requests per minute and 500 per hour → 403 "secondary rate limit" with `retry-after`).
 */

export interface RateWindow {
  limit: number;
  used: number;
  /** Epoch seconds when the window resets. */
  reset: number;
}

const HOUR_MS = 3_600_000;

export class RateBook {
  private readonly windows = new Map<string, RateWindow>();

  constructor(private readonly now: () => Date) {}

  /** Count one request for `identity` and return its window. */
  hit(identity: string): RateWindow {
    const w = this.peek(identity);
    w.used++;
    return w;
  }

  peek(identity: string): RateWindow {
    const nowMs = this.now().getTime();
    let w = this.windows.get(identity);
    if (!w || w.reset * 1000 <= nowMs) {
      w = {
        limit: identity === 'anonymous' ? 60 : 5000,
        used: 0,
        reset: Math.ceil((nowMs + HOUR_MS) / 1000),
      };
      this.windows.set(identity, w);
    }
    return w;
  }
}

export interface ContentLimitOptions {
  /** Content-creating requests allowed per rolling minute per identity (GitHub: 80). */
  perMinute?: number;
  /** Per rolling hour (GitHub: 500). */
  perHour?: number;
}

export class ContentLimiter {
  private readonly stamps = new Map<string, number[]>();
  readonly perMinute: number;
  readonly perHour: number;

  constructor(
    opts: ContentLimitOptions,
    private readonly now: () => Date,
  ) {
    this.perMinute = opts.perMinute ?? 80;
    this.perHour = opts.perHour ?? 500;
  }

  /** Record a content-creating request; returns seconds to wait when it is over the limit, else 0. */
  take(identity: string): number {
    const nowMs = this.now().getTime();
    const list = (this.stamps.get(identity) ?? []).filter((t) => t > nowMs - HOUR_MS);
    this.stamps.set(identity, list);
    const lastMinute = list.filter((t) => t > nowMs - 60_000);
    if (lastMinute.length >= this.perMinute) {
      return Math.max(1, Math.ceil(((lastMinute[0] ?? nowMs) + 60_000 - nowMs) / 1000));
    }
    if (list.length >= this.perHour) {
      return Math.max(1, Math.ceil(((list[0] ?? nowMs) + HOUR_MS - nowMs) / 1000));
    }
    list.push(nowMs);
    return 0;
  }
}
