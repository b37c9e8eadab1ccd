/** Kill-switch rules: expiry and the automatic trip at 200 % of the daily LLM budget. */
import type { KillSwitchState } from '@autocode/toolkit/contract';

export interface KillSwitchRow {
  active: number;
  reason: string | null;
  tripped_by: string | null;
  tripped_at: number | null;
  expires_at: number | null;
}

/** Active unless cleared or past its expiry (expiry is checked on read, so no timer has to fire). */
export function isActive(row: KillSwitchRow, now: number): boolean {
  return row.active === 1 && (row.expires_at === null || row.expires_at > now);
}

export function toState(row: KillSwitchRow, now: number): KillSwitchState {
  const active = isActive(row, now);
  if (!active) return { active: false };
  return {
    active,
    reason: row.reason ?? undefined,
    tripped_by: row.tripped_by ?? undefined,
    expires_at: row.expires_at === null ? null : new Date(row.expires_at).toISOString(),
  };
}

/** The seed's trigger: reported spend reaching 200 % of the daily budget trips the switch. */
export const AUTO_TRIP_FACTOR = 2;

export function shouldAutoTrip(spentUsd: number, dailyBudgetUsd: number): boolean {
  return dailyBudgetUsd > 0 && spentUsd >= AUTO_TRIP_FACTOR * dailyBudgetUsd;
}

export function utcDay(now: number): string {
  return new Date(now).toISOString().slice(0, 10);
}
