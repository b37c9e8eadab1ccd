/**
 * The edge guard for mutating user routes: per-user and per-device fixed-window rate limits (atomic upserts in
 * D1, never KV) and the policy input (kill switch, today's spend, budget) read in the same batch, so a command
 * costs one round trip before its write. The kill switch is read from D1 on every request: a trip is seen by
 * the very next command.
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Ctx } from '../context.js';
import type { User } from '../auth/user.js';
import { actor } from '../auth/user.js';
import type { EdgeAction, EdgePolicyInput } from '../domain/policy.js';
import type { KillSwitchRow } from '../domain/killswitch.js';
import { isActive, utcDay } from '../domain/killswitch.js';
import { bump } from './counters.js';

const WINDOW_MS = 60_000;

function rateStatement(ctx: Ctx, bucket: string, windowStart: number): D1PreparedStatement {
  return ctx.db
    .prepare(
      `INSERT INTO rate_limits (bucket, window_start, count) VALUES (?1, ?2, 1)
       ON CONFLICT (bucket) DO UPDATE SET
         count = CASE WHEN window_start = ?2 THEN count + 1 ELSE 1 END, window_start = ?2
       RETURNING count`,
    )
    .bind(bucket, windowStart);
}

export function killSwitchStatement(db: D1Database): D1PreparedStatement {
  return db.prepare(
    'SELECT active, reason, tripped_by, tripped_at, expires_at FROM kill_switch WHERE id = 1',
  );
}

export function budgetStatements(ctx: Ctx): D1PreparedStatement[] {
  return [
    ctx.db.prepare('SELECT cost_usd FROM spend_daily WHERE day = ?').bind(utcDay(ctx.now())),
    ctx.db.prepare(`SELECT value FROM settings WHERE key = 'daily_llm_budget_usd'`),
  ];
}

/** Rate-limit, then evaluate the edge policy; throws 429 / 423 / 403. */
export async function guard(
  ctx: Ctx,
  user: User,
  action: EdgeAction,
  target: { owner?: string; command?: string } = {},
): Promise<void> {
  const repoOwner = target.owner;
  const now = ctx.now();
  const windowStart = now - (now % WINDOW_MS);
  const stmts = [rateStatement(ctx, `user:${user.id}`, windowStart)];
  if (user.deviceId) stmts.push(rateStatement(ctx, `device:${user.deviceId}`, windowStart));
  stmts.push(killSwitchStatement(ctx.db), ...budgetStatements(ctx));
  const results = await ctx.db.batch(stmts);
  const first = <T>(i: number) => (results[i]?.results[0] as T | undefined) ?? undefined;
  const userCount = first<{ count: number }>(0)?.count ?? 0;
  const deviceCount = user.deviceId ? (first<{ count: number }>(1)?.count ?? 0) : 0;
  const base = user.deviceId ? 2 : 1;
  const { userPerMinute, devicePerMinute } = ctx.config.rateLimits;
  if (userCount > userPerMinute || deviceCount > devicePerMinute) {
    await bump(ctx.db, 'rate_limited', userCount > userPerMinute ? 'user' : 'device');
    throw new AutocodeError(ErrorCodes.RATE_LIMITED, 'too many requests; slow down', {
      details: { retryAfterSeconds: (windowStart + WINDOW_MS - now) / 1000 },
    });
  }
  const ks = first<KillSwitchRow>(base);
  const input: EdgePolicyInput = {
    action,
    role: user.role,
    repo_owner: repoOwner,
    command: target.command,
    allowed_owners: ctx.config.allowedOwners,
    kill_switch: { active: ks ? isActive(ks, now) : true },
    budget: {
      spent_usd: first<{ cost_usd: number }>(base + 1)?.cost_usd ?? 0,
      daily_usd: first<{ value: number }>(base + 2)?.value ?? ctx.config.defaults.dailyLlmBudgetUsd,
    },
  };
  const decision = await (await ctx.policy()).evaluate(input);
  if (decision.allow) return;
  await bump(ctx.db, 'policy_denials', action);
  await ctx.audit.append({
    action: `${action}_denied`,
    resource_type: action,
    resource_id: repoOwner ?? '-',
    success: false,
    error_message: decision.reasons.join('; '),
    ...actor(user),
  });
  if (decision.killed) {
    throw new AutocodeError(
      ErrorCodes.KILL_SWITCH_ACTIVE,
      'the kill switch is active; automation is paused',
      {
        hint: 'an admin can clear it with POST /v1/killswitch',
      },
    );
  }
  throw new AutocodeError(ErrorCodes.POLICY_DENIED, `denied by edge policy: ${decision.reasons.join('; ')}`);
}
