import { createHmac, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { eventually, REPO, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const sign = (secret: string, body: string) =>
  `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;

async function deliver(
  event: string,
  payload: unknown,
  opts: { secret?: string; id?: string; signature?: string } = {},
) {
  const body = JSON.stringify(payload);
  const id = opts.id ?? randomUUID();
  const res = await h.request('POST', '/webhooks/github', {
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': id,
      'x-hub-signature-256': opts.signature ?? sign(opts.secret ?? 'current-webhook-secret', body),
    },
  });
  return { ...res, id, body: res.body };
}

const repository = { full_name: REPO, default_branch: 'main' };

describe('POST /webhooks/github', () => {
  it('refuses a forged signature and a missing one', async () => {
    expect((await deliver('ping', { zen: 'x' }, { secret: 'guessed' })).status).toBe(401);
    expect((await deliver('ping', { zen: 'x' }, { signature: '' })).status).toBe(401);
    // Valid signature over a different body (tampered payload).
    expect(
      (await deliver('ping', { zen: 'y' }, { signature: sign('current-webhook-secret', '{"zen":"x"}') }))
        .status,
    ).toBe(401);
  });

  it('accepts the previous secret during rotation', async () => {
    expect((await deliver('ping', { zen: 'x' }, { secret: 'previous-webhook-secret' })).status).toBe(200);
  });

  it('refuses a replayed delivery id and does not process it twice', async () => {
    const payload = { ref: 'refs/heads/main', before: 'a', after: 'b', repository };
    const first = await deliver('push', payload);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ outcome: 'sync dispatched' });
    const replay = await deliver('push', payload, { id: first.id });
    expect(replay.status).toBe(409);
    await eventually(() => h.github.dispatches.filter((d) => d.event_type === 'autocode.sync').length === 1);
    await new Promise((r) => setTimeout(r, 200));
    expect(h.github.dispatches.filter((d) => d.event_type === 'autocode.sync')).toHaveLength(1);
    expect(h.github.dispatches.find((d) => d.event_type === 'autocode.sync')?.client_payload).toMatchObject({
      after: 'b',
    });
  });

  it('ignores pushes to other branches and repositories', async () => {
    expect((await deliver('push', { ref: 'refs/heads/feature', repository })).body.outcome).toBe('ignored');
    expect(
      (
        await deliver('push', {
          ref: 'refs/heads/main',
          repository: { full_name: 'autocode-sandbox/mvp', default_branch: 'main' },
        })
      ).body.outcome,
    ).toBe('ignored');
  });

  it('pull_request, pull_request_review, check_run and workflow_run update jobs and PRs', async () => {
    const cmd = await h.request('POST', '/v1/commands', {
      token: await h.user('member'),
      json: { repo: REPO, command: 'codegen', prompt: 'x' },
    });
    const jobId = String(cmd.body.job_id);
    const run = {
      display_title: `autocode codegen autocode-job: ${jobId}`,
      html_url: 'https://run/9',
      conclusion: null,
    };
    expect(
      (await deliver('workflow_run', { action: 'in_progress', workflow_run: run, repository })).body.outcome,
    ).toBe('job running');
    const pr = {
      id: 555,
      number: 12,
      title: 'Add README',
      state: 'open',
      body: `Made by autocode.\n\nautocode-job: ${jobId}`,
      html_url: 'https://pr/12',
      head: { sha: 'c'.repeat(40), ref: 'autocode/x' },
      user: { login: 'autocode[bot]' },
    };
    expect((await deliver('pull_request', { action: 'opened', pull_request: pr, repository })).status).toBe(
      200,
    );
    const status = await h.request('GET', `/v1/status/${jobId}`, { token: await h.user('member') });
    expect(status.body).toMatchObject({ state: 'pr_opened', pr_number: 12 });
    await deliver('pull_request_review', {
      action: 'submitted',
      review: { state: 'approved' },
      pull_request: pr,
      repository,
    });
    await deliver('check_run', {
      action: 'completed',
      check_run: { name: 'CodeQL', status: 'completed', conclusion: 'success', head_sha: 'c'.repeat(40) },
      repository,
    });
    const list = await h.request('GET', '/v1/prs', { token: await h.user('member') });
    expect(list.body.prs).toEqual([
      expect.objectContaining({
        id: 555,
        number: 12,
        review_state: 'approved',
        job_id: jobId,
        checks: { name: 'CodeQL', status: 'completed', conclusion: 'success' },
      }),
    ]);
    const metrics = await h.request('GET', '/metrics', { token: 'metrics-token' });
    expect(metrics.text).toMatch(/^autocode_webhook_deliveries_total\{event="pull_request"\} 1$/m);
  });

  it('real forge deliveries: a PR opened for a job marks it pr_opened; GET /v1/prs/{id} serves its patches', async () => {
    h.github.forge.setAppWebhook({ url: `${h.url}/webhooks/github`, secret: 'current-webhook-secret' });
    const cmd = await h.request('POST', '/v1/commands', {
      token: await h.user('member'),
      json: { repo: REPO, command: 'codegen', prompt: 'x' },
    });
    const jobId = String(cmd.body.job_id);
    const pr = await h.github.openPr({
      branch: `autocode/${jobId.slice(0, 8)}`,
      title: 'docs',
      body: `autocode-job: ${jobId}`,
    });
    await eventually(async () => {
      const s = await h.request('GET', `/v1/status/${jobId}`, { token: await h.user('member') });
      return s.body.state === 'pr_opened';
    });
    const res = await h.request('GET', `/v1/prs/${pr.id}`, { token: await h.user('approver') });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ number: pr.number, head_sha: pr.head_sha, can_approve: true });
    const files = res.body.files as { filename: string; patch: string }[];
    expect(files).toHaveLength(1);
    expect(files[0]?.patch).toContain('+# autocode/');
    const mine = await h.request('GET', `/v1/prs/${pr.id}`, { token: await h.user('member') });
    expect(mine.body.can_approve).toBe(false);
    h.github.forge.setAppWebhook({ url: '', secret: '' });
  });
});
