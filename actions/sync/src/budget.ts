/**
 * A rate budget for content-creating requests, planned up front instead of discovered through 403s: GitHub's
 * secondary limits allow at most 80 content-creating requests per minute and 500 per hour. A target reserves
 * its estimated writes before it starts (so no target stops half-way for lack of budget: it is deferred to a
 * rerun instead), and every write takes one slot, waiting when the minute window is full. Clock injected.
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';

export interface BudgetOptions {
  /** GitHub: 80. */
  perMinute?: number;
  /** GitHub: 500. */
  perHour?: number;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  /** Longest a single write may wait for a slot (default 65 s: one minute window). */
  maxWaitMs?: number;
}

const MINUTE = 60_000;
const HOUR = 3_600_000;

export class RateBudget {
  readonly perMinute: number;
  readonly perHour: number;
  private readonly stamps: number[] = [];
  private reserved = 0;
  /** Total slots taken (for reports). */
  taken = 0;

  constructor(private readonly options: BudgetOptions) {
    this.perMinute = options.perMinute ?? 80;
    this.perHour = options.perHour ?? 500;
  }

  private prune(now: number): void {
    while (this.stamps.length && this.stamps[0]! <= now - HOUR) this.stamps.shift();
  }

  /** Slots still free in the rolling hour, net of reservations. */
  available(): number {
    this.prune(this.options.now());
    return Math.max(0, this.perHour - this.stamps.length - this.reserved);
  }

  /** Reserve `n` writes within the hour; false when they do not fit (the caller defers the work). */
  tryReserve(n: number): boolean {
    if (n > this.available()) return false;
    this.reserved += n;
    return true;
  }

  /** Give back what a reservation did not use. */
  release(n: number): void {
    this.reserved = Math.max(0, this.reserved - n);
  }

  /** Take one slot for a content-creating request, waiting for the minute window if it is full. */
  async take(): Promise<void> {
    const started = this.options.now();
    for (;;) {
      const now = this.options.now();
      this.prune(now);
      const inMinute = this.stamps.filter((t) => t > now - MINUTE);
      const overHour = this.stamps.length >= this.perHour;
      if (inMinute.length < this.perMinute && !overHour) {
        this.stamps.push(now);
        if (this.reserved > 0) this.reserved--;
        this.taken++;
        return;
      }
      const until = overHour ? this.stamps[0]! + HOUR : inMinute[0]! + MINUTE;
      const wait = Math.max(1, until - now);
      if (now + wait - started > (this.options.maxWaitMs ?? 65_000)) {
        throw new AutocodeError(
          ErrorCodes.RATE_LIMITED,
          `the content-creation budget (${this.perMinute}/min, ${this.perHour}/h) is exhausted`,
          { hint: 'rerun later: the sync resumes where it stopped' },
        );
      }
      await this.options.sleep(wait);
    }
  }
}

/** Content-creating requests one target's sync will make (an upper bound; unused slots are released). */
export function estimateWrites(p: {
  binaryBlobs: number;
  commit: boolean;
  newPull: boolean;
  labels: boolean;
  reviewers: boolean;
  conflictIssue: boolean;
  autoMerge: boolean;
}): number {
  const commit = p.commit ? 3 : 0; // tree, commit, ref
  const pull = p.newPull ? 1 + (p.labels ? 1 : 0) + (p.reviewers ? 1 : 0) : 1; // create, or update
  return p.binaryBlobs + commit + pull + (p.conflictIssue ? 1 : 0) + (p.autoMerge ? 1 : 0);
}
