/**
 * Outbox: side effects that must happen exactly once (repository_dispatch, alerts) are rows written in the
 * same batch as the state change that causes them, then delivered by whoever claims the row first. A claim is
 * one `UPDATE … RETURNING` with a lease, so concurrent drainers (the request's waitUntil, the cron) never send
 * the same row twice; a retryable failure (5xx, 429, secondary rate limit) puts the row back with backoff.
 * GitHub does not de-duplicate dispatches, so a row is marked sent only after a 2xx.
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Ctx } from '../context.js';
import { backoffMs } from '../domain/payload.js';
import { isRetryable, retryAfterSeconds } from './github.js';
import { bump } from './counters.js';

export type OutboxKind = 'dispatch' | 'alert';

export interface OutboxRow {
  id: string;
  kind: OutboxKind;
  target: string;
  payload: string;
  job_id: string | null;
  attempts: number;
  created_at: number;
}

/** Give up after this many attempts (≈ 4 hours of capped exponential backoff). */
export const MAX_ATTEMPTS = 12;
const LEASE_MS = 60_000;
/** Retries waited for inside the request; longer waits are left to the cron. */
const INLINE_WAIT_LIMIT_MS = 5_000;
const INLINE_ATTEMPTS = 4;
/**
 * At most this many deliveries in flight per isolate from request waitUntil: GitHub allows ≤ 100 concurrent
 * requests and asks for serial writes, and a burst of commands must not become a burst of dispatches. Rows
 * beyond the cap stay pending for the cron, which drains serially.
 */
export const MAX_INLINE_DELIVERIES = 8;
let inline = 0;

export function releaseInline(): void {
  inline = Math.max(0, inline - 1);
}

/** Reserve an inline delivery slot; false when the isolate already has enough in flight. */
export function reserveInline(): boolean {
  if (inline >= MAX_INLINE_DELIVERIES) return false;
  inline++;
  return true;
}

export interface NewOutboxRow {
  id: string;
  kind: OutboxKind;
  target: string;
  payload: unknown;
  jobId?: string;
  now: number;
  /**
   * Insert the row already claimed by this request (state 'sending', first attempt, leased): the request then
   * delivers it without a claim round trip. If the request dies, the lease expires and the cron takes over.
   */
  claimed?: boolean;
}

export function enqueueStatement(
  db: D1Database,
  row: NewOutboxRow,
  when?: { sql: string; params: unknown[] },
): D1PreparedStatement {
  const cols =
    'INSERT INTO outbox (id, kind, target, payload, job_id, next_attempt_at, created_at, state, attempts, lease_until)';
  const values = [
    row.id,
    row.kind,
    row.target,
    JSON.stringify(row.payload),
    row.jobId ?? null,
    row.now,
    row.now,
    row.claimed ? 'sending' : 'pending',
    row.claimed ? 1 : 0,
    row.claimed ? row.now + LEASE_MS : 0,
  ];
  const marks = values.map(() => '?').join(', ');
  if (!when) return db.prepare(`${cols} VALUES (${marks})`).bind(...values);
  return db.prepare(`${cols} SELECT ${marks} WHERE ${when.sql}`).bind(...values, ...when.params);
}

/** The in-memory twin of a row inserted with `claimed: true`. */
export function claimedRow(row: NewOutboxRow): OutboxRow {
  return {
    id: row.id,
    kind: row.kind,
    target: row.target,
    payload: JSON.stringify(row.payload),
    job_id: row.jobId ?? null,
    attempts: 1,
    created_at: row.now,
  };
}

async function claim(ctx: Ctx, id: string): Promise<OutboxRow | null> {
  const now = ctx.now();
  return ctx.db
    .prepare(
      `UPDATE outbox SET state = 'sending', attempts = attempts + 1, lease_until = ?1 + ${LEASE_MS}
       WHERE id = ?2 AND ((state = 'pending' AND next_attempt_at <= ?1) OR (state = 'sending' AND lease_until < ?1))
       RETURNING id, kind, target, payload, job_id, attempts, created_at`,
    )
    .bind(now, id)
    .first<OutboxRow>();
}

async function send(ctx: Ctx, row: OutboxRow): Promise<Response> {
  if (row.kind === 'dispatch') {
    return ctx.github.request(row.target, 'POST', `/repos/${row.target}/dispatches`, JSON.parse(row.payload));
  }
  return fetch(row.target, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: row.payload,
    signal: AbortSignal.timeout(15_000),
  });
}

async function succeeded(ctx: Ctx, row: OutboxRow): Promise<void> {
  const now = ctx.now();
  const stmts = [
    ctx.db.prepare(`UPDATE outbox SET state = 'sent', sent_at = ? WHERE id = ?`).bind(now, row.id),
  ];
  if (row.job_id) {
    stmts.push(
      ctx.db
        .prepare(`UPDATE jobs SET state = 'dispatched', updated_at = ? WHERE id = ? AND state = 'queued'`)
        .bind(now, row.job_id),
    );
  }
  stmts.push(
    await ctx.audit.statement({
      action: row.kind === 'dispatch' ? 'dispatch_sent' : 'alert_sent',
      resource_type: row.job_id ? 'job' : row.kind,
      resource_id: row.job_id ?? row.target,
      success: true,
      duration_ms: now - row.created_at,
      details: { target: row.target, attempts: row.attempts },
    }),
  );
  await ctx.db.batch(stmts);
}

/** Returns the delay before the next attempt, or undefined when the row is settled (sent or dead). */
async function failed(ctx: Ctx, row: OutboxRow, error: string, retryable: boolean, retryAfter?: number) {
  const now = ctx.now();
  if (!retryable || row.attempts >= MAX_ATTEMPTS) {
    const stmts = [
      ctx.db.prepare(`UPDATE outbox SET state = 'dead', last_error = ? WHERE id = ?`).bind(error, row.id),
      await ctx.audit.statement({
        action: 'dispatch_failed',
        resource_type: row.job_id ? 'job' : row.kind,
        resource_id: row.job_id ?? row.target,
        success: false,
        error_message: error,
      }),
    ];
    if (row.job_id) {
      stmts.push(
        ctx.db
          .prepare(
            `UPDATE jobs SET state = 'failed', message = ?, updated_at = ? WHERE id = ? AND state = 'queued'`,
          )
          .bind(`dispatch failed: ${error}`, now, row.job_id),
      );
    }
    await ctx.db.batch(stmts);
    return undefined;
  }
  const delay = backoffMs(row.attempts, ctx.config.outboxBackoffMs, retryAfter);
  await ctx.db
    .prepare(
      `UPDATE outbox SET state = 'pending', next_attempt_at = ?, last_error = ? WHERE id = ? AND state = 'sending'`,
    )
    .bind(now + delay, error, row.id)
    .run();
  return delay;
}

/** One delivery attempt; returns the retry delay when another attempt is due later. */
async function attempt(ctx: Ctx, id: string): Promise<number | undefined> {
  const row = await claim(ctx, id);
  return row ? deliver(ctx, row) : undefined;
}

async function deliver(ctx: Ctx, row: OutboxRow): Promise<number | undefined> {
  let res: Response;
  try {
    res = await send(ctx, row);
  } catch (err) {
    await bump(ctx.db, 'outbox_failures', row.kind);
    // "App not installed" will not fix itself; token-minting hiccups and network errors might.
    const permanent = err instanceof AutocodeError && err.code === ErrorCodes.NOT_FOUND;
    return failed(ctx, row, (err as Error).message, !permanent);
  }
  if (res.ok) {
    await succeeded(ctx, row);
    return undefined;
  }
  await bump(ctx.db, 'outbox_failures', row.kind);
  const retryable = row.kind === 'alert' ? true : await isRetryable(res);
  return failed(ctx, row, `HTTP ${res.status}`, retryable, retryAfterSeconds(res));
}

/** Deliver these rows now, waiting out short backoffs in the request (longer ones are the cron's). */
export async function deliverNow(ctx: Ctx, ids: string[]): Promise<void> {
  for (const id of ids) await retryInline(ctx, id, 0);
}

/** Deliver a row this request inserted already claimed (holding a reserveInline slot), then retry inline. */
export async function deliverClaimed(ctx: Ctx, row: OutboxRow): Promise<void> {
  try {
    const delay = await deliver(ctx, row);
    if (delay !== undefined && delay <= INLINE_WAIT_LIMIT_MS) {
      await new Promise((r) => setTimeout(r, delay));
      await retryInline(ctx, row.id, 1);
    }
  } finally {
    releaseInline();
  }
}

async function retryInline(ctx: Ctx, id: string, done: number): Promise<void> {
  for (let i = done; i < INLINE_ATTEMPTS; i++) {
    const delay = await attempt(ctx, id);
    if (delay === undefined || delay > INLINE_WAIT_LIMIT_MS) return;
    await new Promise((r) => setTimeout(r, delay));
  }
}

/** Cron: deliver every due row, serially (GitHub asks for serial content-creating requests). */
export async function drainDue(ctx: Ctx, limit = 50): Promise<number> {
  const { results } = await ctx.db
    .prepare(
      `SELECT id FROM outbox WHERE (state = 'pending' AND next_attempt_at <= ?1)
       OR (state = 'sending' AND lease_until < ?1) ORDER BY created_at LIMIT ?2`,
    )
    .bind(ctx.now(), limit)
    .all<{ id: string }>();
  for (const { id } of results) await attempt(ctx, id);
  return results.length;
}
