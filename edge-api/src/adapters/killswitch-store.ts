/**
 * Tripping and clearing the kill switch. A trip is one batch: set the row (with a fresh trip_id), then enqueue
 * `autocode.killswitch` dispatches to the configured repositories, the alert and the audit entry, each guarded
 * by "the row still carries my trip_id" so only the request that tripped it causes side effects. Auto-trips only
 * fire when the switch is not already active.
 */
import type { Ctx } from '../context.js';
import { dispatchRequest } from '../domain/payload.js';
import { alertBody } from '../domain/alert.js';
import type { AuditInput } from './audit-store.js';
import { enqueueStatement, deliverNow } from './outbox.js';
import { killSwitchStatement } from './guard.js';
import type { KillSwitchRow } from '../domain/killswitch.js';

export async function readKillSwitch(db: D1Database): Promise<KillSwitchRow> {
  return (
    (await killSwitchStatement(db).first<KillSwitchRow>()) ?? {
      active: 1,
      reason: 'kill switch row missing; failing closed',
      tripped_by: 'system',
      tripped_at: null,
      expires_at: null,
    }
  );
}

export interface TripRequest {
  active: boolean;
  reason: string;
  by: string;
  durationMinutes?: number;
  /** Auto-trips leave an already active switch (and its expiry) alone. */
  onlyIfInactive?: boolean;
  audit: AuditInput;
}

export async function setKillSwitch(ctx: Ctx, req: TripRequest): Promise<boolean> {
  const now = ctx.now();
  const tripId = crypto.randomUUID();
  const expires = req.active && req.durationMinutes ? now + req.durationMinutes * 60_000 : null;
  const db = ctx.db;
  const guardSql = req.onlyIfInactive
    ? ' AND NOT (active = 1 AND (expires_at IS NULL OR expires_at > ?))'
    : '';
  const update = db
    .prepare(
      `UPDATE kill_switch SET active = ?, reason = ?, tripped_by = ?, tripped_at = ?, expires_at = ?, trip_id = ?
       WHERE id = 1${guardSql}`,
    )
    .bind(req.active ? 1 : 0, req.reason, req.by, now, expires, tripId, ...(req.onlyIfInactive ? [now] : []));
  const mine = { sql: 'EXISTS (SELECT 1 FROM kill_switch WHERE id = 1 AND trip_id = ?)', params: [tripId] };
  const outboxIds: string[] = [];
  const stmts = [update];
  const payload = {
    active: req.active,
    reason: req.reason,
    tripped_by: req.by,
    expires_at: expires === null ? null : new Date(expires).toISOString(),
  };
  for (const repo of ctx.config.killSwitchRepos) {
    const id = crypto.randomUUID();
    outboxIds.push(id);
    const dispatch = dispatchRequest('autocode.killswitch', payload);
    stmts.push(enqueueStatement(db, { id, kind: 'dispatch', target: repo, payload: dispatch, now }, mine));
  }
  const alert = ctx.config.alert;
  if (alert.url && req.active) {
    const id = crypto.randomUUID();
    outboxIds.push(id);
    const body = alertBody({
      kind: alert.kind,
      routingKey: alert.routingKey,
      dedupKey: `autocode-killswitch-${tripId}`,
      summary: `autocode kill switch tripped by ${req.by}: ${req.reason}`,
      details: payload,
    });
    stmts.push(enqueueStatement(db, { id, kind: 'alert', target: alert.url, payload: body, now }, mine));
  }
  stmts.push(await ctx.audit.statement(req.audit, mine));
  stmts.push(db.prepare('SELECT trip_id FROM kill_switch WHERE id = 1'));
  const results = await db.batch(stmts);
  const row = results[results.length - 1]?.results[0] as { trip_id: string } | undefined;
  const changed = row?.trip_id === tripId;
  if (changed) ctx.waitUntil(deliverNow(ctx, outboxIds));
  return changed;
}
