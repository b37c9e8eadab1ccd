import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, REPO, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

async function newJob(): Promise<string> {
  const res = await h.request('POST', '/v1/commands', {
    token: await h.user('member'),
    json: { repo: REPO, command: 'codegen', prompt: 'x' },
  });
  const id = String(res.body.job_id);
  await eventually(
    async () =>
      (await h.db.prepare('SELECT state FROM jobs WHERE id = ?').bind(id).first<{ state: string }>())
        ?.state === 'dispatched',
  );
  return id;
}

const event = async (jobId: string, json: Record<string, unknown>, repository = REPO) =>
  h.request('POST', `/v1/jobs/${jobId}/events`, { token: await h.github.actionsToken(repository), json });

describe('workflow callbacks drive the job state machine', () => {
  it('dispatched → running → pr_opened; late events are accepted and ignored', async () => {
    const id = await newJob();
    expect(
      (await event(id, { type: 'running', repository: REPO, run_url: 'https://run/1' })).body,
    ).toMatchObject({ state: 'running', applied: true });
    const opened = await event(id, {
      type: 'pr_opened',
      repository: REPO,
      pr_number: 7,
      pr_url: 'https://pr/7',
    });
    expect(opened.body).toMatchObject({ state: 'pr_opened', applied: true });
    const late = await event(id, { type: 'running', repository: REPO });
    expect(late.status).toBe(200);
    expect(late.body).toMatchObject({ state: 'pr_opened', applied: false });
    const status = await h.request('GET', `/v1/status/${id}`, { token: await h.user('member') });
    expect(status.body).toMatchObject({
      state: 'pr_opened',
      pr_number: 7,
      pr_url: 'https://pr/7',
      run_url: 'https://run/1',
    });
  });

  it('failed is terminal', async () => {
    const id = await newJob();
    expect(
      (await event(id, { type: 'failed', repository: REPO, message: 'tests failed' })).body,
    ).toMatchObject({ state: 'failed' });
    expect((await event(id, { type: 'pr_opened', repository: REPO, pr_number: 1 })).body).toMatchObject({
      state: 'failed',
      applied: false,
    });
  });

  it('a workflow of another allowed organisation cannot report on this job', async () => {
    const id = await newJob();
    const sameOwner = await event(id, { type: 'failed', repository: REPO }, 'autocode-sandbox/other');
    expect(sameOwner.status).toBe(200); // same owner: allowed
    const res = await h.request('POST', `/v1/jobs/${id}/events`, {
      token: await h.github.actionsToken('mallory/x'),
      json: { type: 'failed', repository: REPO },
    });
    expect(res.status).toBe(403);
  });

  it('unknown jobs are 404 and bad events 400', async () => {
    expect(
      (await event('00000000-0000-0000-0000-000000000000', { type: 'running', repository: REPO })).status,
    ).toBe(404);
    expect((await event('x', { type: 'exploded', repository: REPO })).status).toBe(400);
  });

  it('audit events from workflows are appended', async () => {
    const before = await h.db.prepare('SELECT COUNT(*) AS n FROM audit_log').first<{ n: number }>();
    const res = await h.request('POST', '/v1/audit/events', {
      token: await h.github.actionsToken(REPO),
      json: { action: 'sync_pr_opened', resource: `${REPO}#3`, result: 'success', details: { files: 2 } },
    });
    expect(res.status).toBe(202);
    const after = await h.db.prepare('SELECT COUNT(*) AS n FROM audit_log').first<{ n: number }>();
    expect((after?.n ?? 0) - (before?.n ?? 0)).toBe(1);
  });
});
