import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const as = async (user: 'admin' | 'admin2' | 'admin3' | 'member') => h.user(user);

async function propose(value: number): Promise<string> {
  const res = await h.request('POST', '/v1/billing/proposals', {
    token: await as('admin'),
    json: { setting: 'daily_llm_budget_usd', value, reason: 'Q3 plan' },
  });
  expect(res.status).toBe(201);
  return String(res.body.id);
}

const approve = async (id: string, user: 'admin' | 'admin2' | 'admin3' | 'member') =>
  h.request('POST', `/v1/billing/proposals/${id}/approve`, { token: await as(user) });

const budget = async () =>
  (
    await h.db
      .prepare(`SELECT value FROM settings WHERE key = 'daily_llm_budget_usd'`)
      .first<{ value: number }>()
  )?.value;

describe('billing proposals', () => {
  it('need two distinct admins besides the proposer, and apply exactly once', async () => {
    const id = await propose(250);
    expect((await approve(id, 'admin')).status).toBe(403); // the proposer
    const first = await approve(id, 'admin2');
    expect(first.body).toMatchObject({ status: 'pending', applied_now: false, approvals: ['dev-admin-2'] });
    expect((await approve(id, 'admin2')).body).toMatchObject({ status: 'pending' }); // same admin twice counts once
    expect(await budget()).toBeUndefined();
    const second = await approve(id, 'admin3');
    expect(second.body).toMatchObject({ status: 'applied', applied_now: true });
    expect(await budget()).toBe(250);
    expect((await approve(id, 'admin3')).status).toBe(409);
    const applied = await h.db
      .prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE entry LIKE '%"action":"billing_apply"%'`)
      .first<{ n: number }>();
    expect(applied?.n).toBe(1);
  });

  it('racing approvals still apply once', async () => {
    const id = await propose(300);
    await approve(id, 'admin2');
    // Concurrent approvals from the second admin (and a duplicate of the first): one applies.
    const results = await Promise.all([approve(id, 'admin3'), approve(id, 'admin3'), approve(id, 'admin2')]);
    const appliedNow = results.filter((r) => r.body.applied_now === true);
    expect(appliedNow).toHaveLength(1);
    expect(await budget()).toBe(300);
    const rows = await h.db
      .prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE entry LIKE '%"action":"billing_apply"%'`)
      .first<{ n: number }>();
    expect(rows?.n).toBe(2);
  });

  it('members cannot propose or list, unknown settings are refused, lists show approvals', async () => {
    const create = async (user: 'admin' | 'member', setting: string) =>
      (
        await h.request('POST', '/v1/billing/proposals', {
          token: await as(user),
          json: { setting, value: 5, reason: 'x' },
        })
      ).status;
    expect(await create('member', 'runner_max')).toBe(403);
    expect(await create('admin', 'free_money')).toBe(400);
    const list = await h.request('GET', '/v1/billing/proposals', { token: await as('admin2') });
    expect(list.status).toBe(200);
    expect(list.body.settings).toEqual({ daily_llm_budget_usd: 300 });
    expect((list.body.proposals as unknown[]).length).toBe(2);
  });
});
