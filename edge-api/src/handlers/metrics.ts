/** GET /metrics: Prometheus text exposition, behind the internal METRICS_TOKEN. GET /health is public. */
import type { IRequest } from 'itty-router';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Ctx } from '../context.js';
import { isActive, utcDay } from '../domain/killswitch.js';
import type { KillSwitchRow } from '../domain/killswitch.js';
import { killSwitchStatement } from '../adapters/guard.js';
import { sha256, toHex, utf8 } from '../audit/bytes.js';

const BUCKETS_S = [0.1, 0.5, 1, 5, 30, 300];

export function health(): Response {
  return new Response(JSON.stringify({ ok: true }), { headers: { 'content-type': 'application/json' } });
}

async function sameSecret(a: string, b: string): Promise<boolean> {
  // Compare digests so the comparison time does not depend on where the strings differ.
  const [x, y] = await Promise.all([sha256(utf8(a)), sha256(utf8(b))]);
  let diff = 0;
  for (let i = 0; i < x.length; i++) diff |= (x[i] as number) ^ (y[i] as number);
  return diff === 0 && toHex(x).length > 0;
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

export async function metrics(request: IRequest, ctx: Ctx): Promise<Response> {
  const token = (request.headers.get('authorization') ?? '').replace(/^Bearer\s+/i, '');
  if (!token || !ctx.env.METRICS_TOKEN || !(await sameSecret(token, ctx.env.METRICS_TOKEN))) {
    throw new AutocodeError(ErrorCodes.AUTH_FAILED, 'metrics need the internal bearer token');
  }
  const db = ctx.db;
  const bucketSql = BUCKETS_S.map(
    (b) => `SUM(CASE WHEN sent_at - created_at <= ${b * 1000} THEN 1 ELSE 0 END)`,
  ).join(', ');
  const [jobs, latency, pending, counters, spend, budget, ks] = await db.batch([
    db.prepare('SELECT state, COUNT(*) AS n FROM jobs GROUP BY state'),
    db.prepare(
      `SELECT COUNT(*) AS n, COALESCE(SUM(sent_at - created_at), 0) AS total, ${bucketSql}
       FROM outbox WHERE kind = 'dispatch' AND state = 'sent'`,
    ),
    db.prepare(`SELECT state, COUNT(*) AS n FROM outbox WHERE state != 'sent' GROUP BY state`),
    db.prepare('SELECT name, label, value FROM counters'),
    db
      .prepare('SELECT input_tokens, output_tokens, cost_usd FROM spend_daily WHERE day = ?')
      .bind(utcDay(ctx.now())),
    db.prepare(`SELECT value FROM settings WHERE key = 'daily_llm_budget_usd'`),
    killSwitchStatement(db),
  ]);
  const lines: string[] = [];
  const family = (name: string, type: string, help: string) =>
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  family('autocode_jobs', 'gauge', 'Jobs by state.');
  for (const r of (jobs?.results ?? []) as { state: string; n: number }[])
    lines.push(`autocode_jobs{state="${esc(r.state)}"} ${r.n}`);
  family(
    'autocode_dispatch_latency_seconds',
    'histogram',
    'Time from job creation to a successful repository_dispatch.',
  );
  const lat = (latency?.results[0] ?? {}) as Record<string, number>;
  const values = Object.values(lat);
  BUCKETS_S.forEach((b, i) =>
    lines.push(`autocode_dispatch_latency_seconds_bucket{le="${b}"} ${values[2 + i] ?? 0}`),
  );
  lines.push(`autocode_dispatch_latency_seconds_bucket{le="+Inf"} ${lat.n ?? 0}`);
  lines.push(
    `autocode_dispatch_latency_seconds_sum ${(lat.total ?? 0) / 1000}`,
    `autocode_dispatch_latency_seconds_count ${lat.n ?? 0}`,
  );
  family('autocode_outbox', 'gauge', 'Outbox rows not yet sent, by state.');
  for (const r of (pending?.results ?? []) as { state: string; n: number }[])
    lines.push(`autocode_outbox{state="${esc(r.state)}"} ${r.n}`);
  const byName = new Map<string, { label: string; value: number }[]>();
  for (const r of (counters?.results ?? []) as { name: string; label: string; value: number }[]) {
    byName.set(r.name, [...(byName.get(r.name) ?? []), r]);
  }
  for (const [name, label] of [
    ['webhook_deliveries', 'event'],
    ['policy_denials', 'action'],
    ['rate_limited', 'scope'],
    ['outbox_failures', 'kind'],
    ['push_deliveries', 'outcome'],
  ] as const) {
    family(`autocode_${name}_total`, 'counter', `${name.replace(/_/g, ' ')} by ${label}.`);
    for (const r of byName.get(name) ?? [])
      lines.push(`autocode_${name}_total{${label}="${esc(r.label)}"} ${r.value}`);
  }
  const s = (spend?.results[0] ?? { input_tokens: 0, output_tokens: 0, cost_usd: 0 }) as Record<
    string,
    number
  >;
  family('autocode_llm_tokens_today', 'gauge', 'LLM tokens reported today (UTC).');
  lines.push(
    `autocode_llm_tokens_today{direction="input"} ${s.input_tokens ?? 0}`,
    `autocode_llm_tokens_today{direction="output"} ${s.output_tokens ?? 0}`,
  );
  family('autocode_llm_spend_usd_today', 'gauge', 'LLM spend reported today (UTC).');
  lines.push(`autocode_llm_spend_usd_today ${s.cost_usd ?? 0}`);
  family('autocode_llm_budget_usd_daily', 'gauge', 'Daily LLM budget.');
  const b =
    (budget?.results[0] as { value: number } | undefined)?.value ?? ctx.config.defaults.dailyLlmBudgetUsd;
  lines.push(`autocode_llm_budget_usd_daily ${b}`);
  family('autocode_killswitch_active', 'gauge', '1 while the kill switch is active.');
  const row = ks?.results[0] as KillSwitchRow | undefined;
  lines.push(`autocode_killswitch_active ${row && isActive(row, ctx.now()) ? 1 : 0}`);
  return new Response(`${lines.join('\n')}\n`, { headers: { 'content-type': 'text/plain; version=0.0.4' } });
}
