/**
 * Web Push delivery: each subscription gets a message encrypted for it with the `aes128gcm` content coding
 * (RFC 8291 / RFC 8188) and a VAPID authorization (RFC 8292), both built on WebCrypto by
 * `@block65/webcrypto-web-push` — no hand-rolled cryptography. Push services answer 404/410 for subscriptions
 * that are gone; those rows are deleted. Sending never fails the state change that caused it (callers run it
 * in `waitUntil`); outcomes are counted for /metrics.
 */
import { buildPushPayload } from '@block65/webcrypto-web-push';
import type { Ctx } from '../context.js';
import { bumpStatement } from './counters.js';

/** What the PWA's service worker turns into a notification (see mobile/pwa/src/notifications.ts). */
export interface PushNotice {
  kind: 'pr.opened' | 'job.failed' | 'approval.requested';
  repo?: string;
  number?: number;
  pr_id?: number;
  job_id?: string;
  message?: string;
}

/** Who gets it: given users, or every approver and admin except one (the change's requester). */
export type PushAudience = { users: (string | null | undefined)[] } | { approversExcept: string | null };

interface SubscriptionRow {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** A push service keeps a message at most this long when the device is offline. */
const TTL_SECONDS = 24 * 60 * 60;

async function subscriptions(ctx: Ctx, to: PushAudience): Promise<SubscriptionRow[]> {
  const cols = 'SELECT endpoint, p256dh, auth FROM push_subscriptions';
  if ('users' in to) {
    const users = [...new Set(to.users.filter((u): u is string => !!u))].slice(0, 50);
    if (users.length === 0) return [];
    const { results } = await ctx.db
      .prepare(`${cols} WHERE user_id IN (${users.map(() => '?').join(', ')})`)
      .bind(...users)
      .all<SubscriptionRow>();
    return results;
  }
  const { results } = await ctx.db
    .prepare(`${cols} WHERE role IN ('approver', 'admin') AND user_id != ? LIMIT 200`)
    .bind(to.approversExcept ?? '')
    .all<SubscriptionRow>();
  return results;
}

type Outcome = 'sent' | 'gone' | 'failed';

async function deliver(ctx: Ctx, sub: SubscriptionRow, notice: PushNotice): Promise<Outcome> {
  const vapid = ctx.config.push!;
  try {
    const request = await buildPushPayload(
      {
        data: { ...notice },
        options: { ttl: TTL_SECONDS, urgency: notice.kind === 'pr.opened' ? 'normal' : 'high' },
      },
      { endpoint: sub.endpoint, expirationTime: null, keys: { p256dh: sub.p256dh, auth: sub.auth } },
      vapid,
    );
    const res = await fetch(sub.endpoint, request);
    await res.body?.cancel();
    if (res.status === 404 || res.status === 410) {
      await ctx.db.prepare('DELETE FROM push_subscriptions WHERE endpoint = ?').bind(sub.endpoint).run();
      return 'gone';
    }
    return res.ok ? 'sent' : 'failed';
  } catch {
    return 'failed';
  }
}

/** Send `notice` to the audience's subscriptions; resolves with the outcome counts. */
export async function sendPush(
  ctx: Ctx,
  to: PushAudience,
  notice: PushNotice,
): Promise<Record<Outcome, number>> {
  const counts: Record<Outcome, number> = { sent: 0, gone: 0, failed: 0 };
  if (!ctx.config.push) return counts;
  for (const sub of await subscriptions(ctx, to)) counts[await deliver(ctx, sub, notice)]++;
  const bumps = (Object.entries(counts) as [Outcome, number][])
    .filter(([, n]) => n > 0)
    .map(([outcome, n]) => bumpStatement(ctx.db, 'push_deliveries', outcome, n));
  if (bumps.length) await ctx.db.batch(bumps);
  return counts;
}

/** A job reached pr_opened: "PR ready" to its requester, "approval requested" to everyone who may approve. */
export function notifyPrReady(
  ctx: Ctx,
  job: { id: string; requested_by: string | null },
  pr: PushNotice,
): void {
  const base = { ...pr, job_id: job.id };
  ctx.waitUntil(sendPush(ctx, { users: [job.requested_by] }, { ...base, kind: 'pr.opened' }));
  ctx.waitUntil(
    sendPush(ctx, { approversExcept: job.requested_by }, { ...base, kind: 'approval.requested' }),
  );
}

/** A job failed: tell its requester why. */
export function notifyJobFailed(
  ctx: Ctx,
  job: { id: string; repo: string; requested_by: string | null },
  message: string | undefined,
): void {
  ctx.waitUntil(
    sendPush(
      ctx,
      { users: [job.requested_by] },
      { kind: 'job.failed', job_id: job.id, repo: job.repo, ...(message ? { message } : {}) },
    ),
  );
}
