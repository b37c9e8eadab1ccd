/** Reported LLM spend per UTC day (atomic upsert), and the automatic kill-switch trip at 200 % of budget. */
import type { Ctx } from '../context.js';
import { shouldAutoTrip, utcDay } from '../domain/killswitch.js';
import { setKillSwitch } from './killswitch-store.js';

export interface Usage {
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
}

export async function dailyBudget(ctx: Ctx): Promise<number> {
  const row = await ctx.db
    .prepare(`SELECT value FROM settings WHERE key = 'daily_llm_budget_usd'`)
    .first<{ value: number }>();
  return row?.value ?? ctx.config.defaults.dailyLlmBudgetUsd;
}

/** Record usage; returns true when this report tripped the kill switch. */
export async function recordSpend(ctx: Ctx, usage: Usage, source: string): Promise<boolean> {
  const day = utcDay(ctx.now());
  const row = await ctx.db
    .prepare(
      `INSERT INTO spend_daily (day, input_tokens, output_tokens, cost_usd) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (day) DO UPDATE SET input_tokens = input_tokens + ?2, output_tokens = output_tokens + ?3,
         cost_usd = cost_usd + ?4
       RETURNING cost_usd`,
    )
    .bind(day, usage.input_tokens, usage.output_tokens, usage.cost_usd)
    .first<{ cost_usd: number }>();
  const spent = row?.cost_usd ?? 0;
  const budget = await dailyBudget(ctx);
  if (!shouldAutoTrip(spent, budget)) return false;
  const reason = `LLM spend $${spent.toFixed(2)} reached 200% of the $${budget.toFixed(2)} daily budget`;
  return setKillSwitch(ctx, {
    active: true,
    reason,
    by: 'system',
    onlyIfInactive: true,
    audit: {
      action: 'killswitch_auto_trip',
      resource_type: 'killswitch',
      resource_id: 'global',
      success: true,
      cost_estimate_usd: spent,
      details: { budget_usd: budget, source },
    },
  });
}
