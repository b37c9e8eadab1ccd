/**
 * Jobs in D1. Creation with an Idempotency-Key is one atomic batch: claim the key (INSERT … ON CONFLICT DO
 * NOTHING), insert the job, its outbox row and its audit entry only if this request's claim won, then read the
 * key back. Fifty concurrent requests with one key therefore create one job and one dispatch.
 */
import type { JobState } from '@autocode/toolkit/contract';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Ctx } from '../context.js';
import type { AuditInput } from './audit-store.js';
import type { DispatchRequest } from '../domain/payload.js';
import { claimedRow, enqueueStatement } from './outbox.js';
import type { NewOutboxRow, OutboxRow } from './outbox.js';
import { sourcesOf } from '../domain/jobs.js';

export interface JobRow {
  id: string;
  requested_by: string;
  device_id: string | null;
  repo: string;
  command: string;
  body: string;
  state: JobState;
  message: string | null;
  pr_number: number | null;
  pr_url: string | null;
  run_url: string | null;
  created_at: number;
  updated_at: number;
}

export interface NewJob {
  id: string;
  outboxId: string;
  userId: string;
  deviceId: string | undefined;
  repo: string;
  command: string;
  body: string;
  dispatch: DispatchRequest;
  audit: AuditInput;
  /** Deliver the dispatch from this request (a reserved inline slot) rather than leaving it to the cron. */
  deliverInline: boolean;
  idempotency?: { key: string; bodyHash: string };
}

/** `outbox` is set when this request created the job and delivers it: the row, inserted already claimed. */
export interface CreatedJob {
  jobId: string;
  created: boolean;
  outbox?: OutboxRow;
}

export async function createJob(ctx: Ctx, job: NewJob): Promise<CreatedJob> {
  const now = ctx.now();
  const db = ctx.db;
  const idem = job.idempotency;
  const won = idem
    ? {
        sql: 'EXISTS (SELECT 1 FROM idempotency_keys WHERE user_id = ? AND key = ? AND job_id = ?)',
        params: [job.userId, idem.key, job.id],
      }
    : undefined;
  const insertJob = `INSERT INTO jobs (id, requested_by, device_id, repo, command, body, state, created_at, updated_at)`;
  const jobValues = [
    job.id,
    job.userId,
    job.deviceId ?? null,
    job.repo,
    job.command,
    job.body,
    'queued',
    now,
    now,
  ];
  const outbox: NewOutboxRow = {
    id: job.outboxId,
    kind: 'dispatch',
    target: job.repo,
    payload: job.dispatch,
    jobId: job.id,
    now,
    claimed: job.deliverInline,
  };
  const stmts: D1PreparedStatement[] = [];
  if (idem) {
    stmts.push(
      db
        .prepare(
          'INSERT INTO idempotency_keys (user_id, key, body_hash, job_id, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING',
        )
        .bind(job.userId, idem.key, idem.bodyHash, job.id, now),
    );
  }
  stmts.push(
    won
      ? db
          .prepare(`${insertJob} SELECT ?, ?, ?, ?, ?, ?, ?, ?, ? WHERE ${won.sql}`)
          .bind(...jobValues, ...won.params)
      : db.prepare(`${insertJob} VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).bind(...jobValues),
    enqueueStatement(db, outbox, won),
    await ctx.audit.statement(job.audit, won),
  );
  if (!idem) {
    await db.batch(stmts);
    return { jobId: job.id, created: true, outbox: job.deliverInline ? claimedRow(outbox) : undefined };
  }
  stmts.push(
    db
      .prepare('SELECT job_id, body_hash FROM idempotency_keys WHERE user_id = ? AND key = ?')
      .bind(job.userId, idem.key),
  );
  const results = await db.batch(stmts);
  const row = results[results.length - 1]?.results[0] as { job_id: string; body_hash: string } | undefined;
  if (!row) throw new AutocodeError(ErrorCodes.INTERNAL, 'idempotency key vanished');
  if (row.body_hash !== idem.bodyHash) {
    throw new AutocodeError(
      ErrorCodes.CONFLICT,
      'this Idempotency-Key was used with a different request body',
      {
        hint: 'use a new Idempotency-Key for a different command',
      },
    );
  }
  const created = row.job_id === job.id;
  return {
    jobId: row.job_id,
    created,
    outbox: created && job.deliverInline ? claimedRow(outbox) : undefined,
  };
}

export async function getJob(db: D1Database, id: string): Promise<JobRow | null> {
  return db.prepare('SELECT * FROM jobs WHERE id = ?').bind(id).first<JobRow>();
}

export interface JobUpdate {
  message?: string;
  pr_number?: number;
  pr_url?: string;
  run_url?: string;
}

/** Move a job to `to` if its state allows; returns the new row, or null when the transition does not apply. */
export function transitionStatement(
  db: D1Database,
  id: string,
  to: JobState,
  update: JobUpdate,
  now: number,
): D1PreparedStatement {
  const from = sourcesOf(to);
  return db
    .prepare(
      `UPDATE jobs SET state = ?, message = COALESCE(?, message), pr_number = COALESCE(?, pr_number),
         pr_url = COALESCE(?, pr_url), run_url = COALESCE(?, run_url), updated_at = ?
       WHERE id = ? AND state IN (${from.map(() => '?').join(', ')}) RETURNING *`,
    )
    .bind(
      to,
      update.message ?? null,
      update.pr_number ?? null,
      update.pr_url ?? null,
      update.run_url ?? null,
      now,
      id,
      ...from,
    );
}
