/**
 * System status for the dashboard. Prefers the edge's JSON route; when the edge does not have it (404), builds
 * what the user routes can tell: job counts from the history (approvers see everyone's), the kill switch, and
 * the daily budget from the billing settings (admins only). Spend is then unknown and shown as such.
 */
import type { EdgeApi, Read } from './client.js';
import { ApiError } from './client.js';
import type { JobState, SystemStatus } from './types.js';

export async function loadSystem(
  api: EdgeApi,
  canSeeAll: boolean,
  isAdmin: boolean,
): Promise<Read<SystemStatus>> {
  try {
    return await api.system();
  } catch (err) {
    if (!(err instanceof ApiError) || err.status !== 404) throw err;
  }
  const [jobs, ks, billing] = await Promise.all([
    api.jobs(canSeeAll),
    api.killSwitch(),
    isAdmin ? api.proposals().catch(() => undefined) : Promise.resolve(undefined),
  ]);
  const counts: Partial<Record<JobState, number>> = {};
  for (const j of jobs.data.jobs) counts[j.state] = (counts[j.state] ?? 0) + 1;
  const cachedAt = jobs.cachedAt ?? ks.cachedAt;
  return {
    data: {
      jobs: counts,
      llm: { spend_usd_today: null, budget_usd_daily: billing?.data.settings.daily_llm_budget_usd ?? null },
      killswitch: ks.data,
      partial: true,
    },
    ...(cachedAt ? { cachedAt } : {}),
  };
}
