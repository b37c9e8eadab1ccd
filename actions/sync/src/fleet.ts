/**
 * The fleet: every target in parallel (bounded, GitHub allows ≤ 100 concurrent requests and writes are
 * serialised by the client anyway) under one shared content-creation budget. A target that fails — no access,
 * unsafe path, conflict with on_conflict: fail — fails alone; the others go on. Conflicts, failures and PRs are
 * reported as job events; an unreachable edge never fails the sync.
 */
import type { JobEvent, Logger } from '@autocode/toolkit';
import { AutocodeError, ErrorCodes, toAutocodeError } from '@autocode/toolkit';
import type { PolicyGate } from './automerge.js';
import type { RateBudget } from './budget.js';
import type { SyncTarget } from './config.js';
import type { TargetPort } from './port.js';
import type { TargetResult } from './result.js';
import { FAILING } from './result.js';
import { syncTarget } from './target-sync.js';
import type { SourceSnapshot } from './types.js';

export interface FleetOptions {
  targets: SyncTarget[];
  source: SourceSnapshot;
  portFor: (target: SyncTarget) => TargetPort;
  budget: RateBudget;
  dryRun: boolean;
  /** Targets in flight at once (default 4). */
  concurrency?: number;
  runUrl?: string;
  policy?: PolicyGate;
  log: Logger;
  /** Job events to the edge API (absent: not reported). */
  emit?: (event: JobEvent) => Promise<unknown>;
  /** Runs before each target's writes; throws to stop (the kill switch). */
  beforeWrites?: () => Promise<void>;
  /** What to do per target (default: sync it); rollback passes its own. */
  job?: (target: SyncTarget, port: TargetPort) => Promise<TargetResult>;
}

export interface FleetResult {
  source: string;
  sourceSha: string;
  dryRun: boolean;
  targets: TargetResult[];
  /** No target failed. */
  ok: boolean;
  /** Content-creating requests made by the whole run. */
  writes: number;
}

const WRITES = new Set([
  'createBlob',
  'createTree',
  'createCommit',
  'createBranch',
  'updateBranch',
  'deleteBranch',
  'createPull',
  'updatePull',
  'addLabels',
  'requestReviewers',
  'createIssue',
  'updateIssue',
  'enableAutoMerge',
]);

/** Wraps a port to count its writes, and to refuse any write in a dry run (belt and braces). */
export function guardedPort(port: TargetPort, dryRun: boolean): { port: TargetPort; writes: () => number } {
  let writes = 0;
  const wrapped = new Proxy(port, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof prop !== 'string' || !WRITES.has(prop) || typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        if (dryRun) throw new Error(`dry run attempted a write: ${prop}`);
        writes++;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { port: wrapped, writes: () => writes };
}

/** GitHub answers a secondary rate limit with 403, which reads as "forbidden"; say what it is. */
function asRateLimit(e: AutocodeError): AutocodeError {
  if (e.code !== ErrorCodes.FORBIDDEN || !/rate limit/i.test(e.message)) return e;
  return new AutocodeError(ErrorCodes.RATE_LIMITED, e.message, {
    cause: e,
    hint: 'GitHub kept refusing after the bounded retries; rerun later: the sync resumes where it stopped',
  });
}

async function runOne(opts: FleetOptions, target: SyncTarget): Promise<TargetResult> {
  const { port, writes } = guardedPort(opts.portFor(target), opts.dryRun);
  try {
    if (!opts.dryRun) await opts.beforeWrites?.();
    const result = opts.job ? await opts.job(target, port) : await syncTarget({ ...opts, target, port });
    return { ...result, writes: writes() };
  } catch (err) {
    const e = asRateLimit(toAutocodeError(err));
    opts.log.error(`${target.repo}: ${e.describe()}`);
    return {
      repo: target.repo,
      status: 'failed',
      message: e.message,
      writes: writes(),
      error: { code: e.code, message: e.message },
    };
  }
}

export async function runFleet(opts: FleetOptions): Promise<FleetResult> {
  const results: TargetResult[] = new Array(opts.targets.length);
  let next = 0;
  const worker = async () => {
    while (next < opts.targets.length) {
      const index = next++;
      const target = opts.targets[index]!;
      results[index] = await runOne(opts, target);
      await report(opts, results[index]);
    }
  };
  const n = Math.max(1, Math.min(opts.concurrency ?? 4, opts.targets.length));
  await Promise.all(Array.from({ length: n }, worker));
  return {
    source: opts.source.repo,
    sourceSha: opts.source.sha,
    dryRun: opts.dryRun,
    targets: results,
    ok: results.every((r) => !FAILING.includes(r.status)),
    writes: results.reduce((n, r) => n + r.writes, 0),
  };
}

/** The job event for a target's outcome, if it is worth a notification. */
export function eventFor(r: TargetResult, runUrl?: string): JobEvent | undefined {
  const base = { repository: r.repo, message: r.message, ...(runUrl ? { run_url: runUrl } : {}) };
  const conflicts = r.plan?.conflicts ?? [];
  if (r.status === 'failed') return { ...base, type: 'failed', details: { error: r.error } };
  if (r.status === 'blocked' || r.status === 'conflict' || (conflicts.length && r.writes > 0)) {
    return {
      ...base,
      type: 'conflict',
      details: {
        status: r.status,
        conflicts: conflicts.slice(0, 50),
        ...(r.issue ? { issue_url: r.issue.url } : {}),
      },
    };
  }
  if (r.pr && (r.status === 'created' || r.status === 'updated')) {
    return { ...base, type: 'pr_opened', pr_number: r.pr.number, pr_url: r.pr.url };
  }
  return undefined;
}

async function report(opts: FleetOptions, r: TargetResult): Promise<void> {
  const event = opts.emit && !opts.dryRun ? eventFor(r, opts.runUrl) : undefined;
  if (!event) return;
  try {
    await opts.emit!(event);
  } catch (err) {
    opts.log.warning(`could not report ${r.repo} to the edge API: ${(err as Error).message}`);
  }
}
