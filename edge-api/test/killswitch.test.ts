import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, OWNER, REPO, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness({ DEFAULT_DAILY_LLM_BUDGET_USD: '10' });
});
afterAll(async () => h?.close());

const command = async () =>
  h.request('POST', '/v1/commands', { token: await h.user('member'), json: { repo: REPO, command: 'sync' } });
const trip = async (json: Record<string, unknown>) =>
  h.request('POST', '/v1/killswitch', { token: await h.user('admin'), json });
const ksDispatches = () => h.github.dispatches.filter((d) => d.event_type === 'autocode.killswitch');

describe('kill switch', () => {
  it('trips: the very next command gets 423, repos get autocode.killswitch, the alert hook fires', async () => {
    expect((await command()).status).toBe(202);
    const res = await trip({ reason: 'security_incident', duration_minutes: 60 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ active: true, reason: 'security_incident', tripped_by: 'Ada Admin' });
    const next = await command();
    expect(next.status).toBe(423);
    expect(next.body).toMatchObject({ error: { code: 'KILL_SWITCH_ACTIVE' } });
    // The denial was decided by the built-in rules and by the Rego bundle (its rule id) running in workerd.
    const denied = await h.db
      .prepare(`SELECT entry FROM audit_log WHERE entry LIKE '%"action":"command_denied"%' ORDER BY seq DESC`)
      .first<{ entry: string }>();
    expect(JSON.parse(denied?.entry ?? '{}').error_message).toMatch(/kill-switch: the kill switch is active/);
    await eventually(() => ksDispatches().length === 2 && h.alerts.bodies.length === 1);
    expect(
      ksDispatches()
        .map((d) => d.repo)
        .sort(),
    ).toEqual([REPO, `${OWNER}/mvp`]);
    expect(ksDispatches()[0]?.client_payload).toMatchObject({ active: true, reason: 'security_incident' });
    expect(JSON.stringify(h.alerts.bodies[0])).toContain('security_incident');
  });

  it('workflows read the state with their OIDC token', async () => {
    const res = await h.request('GET', '/v1/killswitch', {
      token: await h.github.actionsToken(REPO),
    });
    expect(res.body).toMatchObject({ active: true, reason: 'security_incident' });
    expect(typeof res.body.expires_at).toBe('string');
  });

  it('approvals are refused with 423 too', async () => {
    const res = await h.request('POST', '/v1/approvals', {
      token: await h.user('approver'),
      json: { repo: REPO, pr_number: 1, decision: 'approve', head_sha: 'a'.repeat(40), assertion: {} },
    });
    expect(res.status).toBe(423);
  });

  it('expires on its own', async () => {
    await h.db
      .prepare('UPDATE kill_switch SET expires_at = ? WHERE id = 1')
      .bind(Date.now() - 1)
      .run();
    expect((await command()).status).toBe(202);
    expect((await h.request('GET', '/v1/killswitch', { token: await h.user('member') })).body).toEqual({
      active: false,
    });
  });

  it('an admin clears it and the repos are told', async () => {
    await trip({ reason: 'drill' });
    expect((await command()).status).toBe(423);
    const res = await trip({ active: false, reason: 'drill over' });
    expect(res.body).toEqual({ active: false });
    expect((await command()).status).toBe(202);
    const cleared = () => ksDispatches().filter((d) => d.client_payload.active === false);
    await eventually(() => cleared().length === 2);
    expect(cleared()[0]?.client_payload.reason).toBe('drill over');
  });

  it('trips itself when reported spend reaches 200 % of the daily budget', async () => {
    const created = await command();
    const jobId = String(created.body.job_id);
    const token = await h.github.actionsToken(REPO);
    const report = (cost: number) =>
      h.request('POST', `/v1/jobs/${jobId}/events`, {
        token,
        json: {
          type: 'progress',
          repository: REPO,
          usage: { input_tokens: 1000, output_tokens: 500, cost_usd: cost },
        },
      });
    const first = await report(9);
    expect(first.body.kill_switch_tripped).toBe(false);
    // $9 is under the $10 budget: commands still pass; $19 would deny new commands (budget exhausted) but not trip.
    const second = await report(10);
    expect(second.body.kill_switch_tripped).toBe(false);
    const denied = await command();
    expect(denied.status).toBe(403);
    expect(denied.body).toMatchObject({ error: { code: 'POLICY_DENIED' } });
    const third = await report(1);
    expect(third.body.kill_switch_tripped).toBe(true);
    expect((await command()).status).toBe(423);
    const state = await h.request('GET', '/v1/killswitch', { token });
    expect(state.body).toMatchObject({ active: true, tripped_by: 'system' });
    // A later report does not re-trip (no duplicate alerts).
    await eventually(() => JSON.stringify(h.alerts.bodies).includes('tripped by system'));
    const alerts = h.alerts.bodies.length;
    expect((await report(5)).body.kill_switch_tripped).toBe(false);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.alerts.bodies.length).toBe(alerts);
    const metrics = await h.request('GET', '/metrics', { token: 'metrics-token' });
    expect(metrics.text).toMatch(/^autocode_killswitch_active 1$/m);
    expect(metrics.text).toMatch(/^autocode_llm_spend_usd_today 25$/m);
  });
});
