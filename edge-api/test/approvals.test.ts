import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { REPO, startHarness } from './harness.js';
import type { Harness } from './harness.js';
import { SoftAuthenticator } from './authenticator.js';

let h: Harness;
let approver: string;
const key = new SoftAuthenticator('localhost', 'http://localhost:5173');

beforeAll(async () => {
  h = await startHarness();
  approver = await h.user('approver');
});
afterAll(async () => h?.close());

interface Pr {
  number: number;
  head: string;
  branch: string;
}

/** A job requested by `token`'s user whose PR is open in the forge (opened by a contributor or the App). */
async function prRequestedBy(token: string, asApp = false): Promise<Pr> {
  const cmd = await h.request('POST', '/v1/commands', {
    token,
    json: { repo: REPO, command: 'codegen', prompt: 'x' },
  });
  const jobId = String(cmd.body.job_id);
  const branch = `autocode/${jobId.slice(0, 8)}`;
  const pr = await h.github.openPr({
    branch,
    title: `change ${jobId}`,
    body: `autocode-job: ${jobId}`,
    asApp,
  });
  const ev = await h.request('POST', `/v1/jobs/${jobId}/events`, {
    token: await h.github.actionsToken(REPO),
    json: { type: 'pr_opened', repository: REPO, pr_number: pr.number },
  });
  expect(ev.body).toMatchObject({ applied: true });
  return { number: pr.number, head: pr.head_sha, branch };
}

/** Sign the challenge with `by` and submit an approval of `pr` at its challenged head. */
async function submit(ch: { body: Record<string, unknown> }, pr: Pr, by = key, decision = 'approve') {
  const assertion = by.assert(String((ch.body.options as { challenge: string }).challenge));
  return h.request('POST', '/v1/approvals', {
    token: approver,
    json: { repo: REPO, pr_number: pr.number, decision, head_sha: pr.head, assertion },
  });
}

async function challenge(token: string, pr: number, decision = 'approve') {
  return h.request('POST', '/v1/approvals/challenge', {
    token,
    json: { repo: REPO, pr_number: pr, decision },
  });
}

describe('approvals with WebAuthn step-up', () => {
  it('an approver registers a passkey', async () => {
    const options = await h.request('POST', '/v1/webauthn/register/options', { token: approver });
    expect(options.status).toBe(200);
    expect(options.body).toMatchObject({ rp: { id: 'localhost' } });
    const res = await h.request('POST', '/v1/webauthn/register/verify', {
      token: approver,
      json: key.register(String(options.body.challenge)),
    });
    expect(res.status).toBe(201);
  });

  it('approves: the review is submitted to GitHub naming the approver, and audited', async () => {
    const pr = await prRequestedBy(await h.user('member'));
    const ch = await challenge(approver, pr.number);
    expect(ch.status).toBe(200);
    expect(ch.body.head_sha).toBe(pr.head);
    const assertion = key.assert(String((ch.body.options as { challenge: string }).challenge));
    const body = { repo: REPO, pr_number: pr.number, decision: 'approve', head_sha: pr.head, assertion };
    const res = await h.request('POST', '/v1/approvals', { token: approver, json: body });
    expect(res.status).toBe(201);
    expect(h.github.reviews).toHaveLength(1);
    expect(h.github.reviews[0]).toMatchObject({
      state: 'APPROVED',
      commitId: pr.head,
      user: 'autocode-reviewer[bot]',
    });
    expect(h.github.reviews[0]?.body).toContain('Aaron Approver');
    const audited = await h.db
      .prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE entry LIKE '%"action":"pr_approve"%'`)
      .first<{ n: number }>();
    expect(audited?.n).toBe(1);

    // The same assertion replayed: its challenge is spent.
    const replay = await h.request('POST', '/v1/approvals', { token: approver, json: body });
    expect(replay.status).toBe(401);
    expect(h.github.reviews).toHaveLength(1);
  });

  it('approves a PR the publishing App opened: the review comes from the reviewer App, which GitHub allows', async () => {
    const pr = await prRequestedBy(await h.user('member'), true);
    const ch = await challenge(approver, pr.number);
    const assertion = key.assert(String((ch.body.options as { challenge: string }).challenge));
    const body = { repo: REPO, pr_number: pr.number, decision: 'approve', head_sha: pr.head, assertion };
    const res = await h.request('POST', '/v1/approvals', { token: approver, json: body });
    expect(res.status).toBe(201);
    const review = h.github.reviews.find((r) => r.commitId === pr.head);
    expect(review).toMatchObject({ state: 'APPROVED', user: 'autocode-reviewer[bot]' });
  });

  it('the requester of a change cannot approve it', async () => {
    const own = await prRequestedBy(approver);
    expect((await challenge(approver, own.number)).status).toBe(403);
    // Nor with a challenge obtained for another PR.
    const other = await prRequestedBy(await h.user('member'));
    const ch = await challenge(approver, other.number);
    const res = await submit(ch, own);
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('a challenge is bound to the decision and the PR', async () => {
    const pr = await prRequestedBy(await h.user('member'));
    const other = await prRequestedBy(await h.user('member'));
    const ch = await challenge(approver, pr.number, 'approve');
    expect((await submit(ch, pr, key, 'request_changes')).status).toBe(401);
    const again = await challenge(approver, pr.number, 'approve');
    expect((await submit(again, other)).status).toBe(401);
  });

  it('a head that moved after the challenge is a 409 and no review', async () => {
    const pr = await prRequestedBy(await h.user('member'));
    const ch = await challenge(approver, pr.number);
    await h.github.pushTo(pr.branch);
    const reviews = h.github.reviews.length;
    const res = await submit(ch, pr);
    expect(res.status).toBe(409);
    expect(h.github.reviews.length).toBe(reviews);
  });

  it('an assertion from an unregistered key is refused', async () => {
    const pr = await prRequestedBy(await h.user('member'));
    const ch = await challenge(approver, pr.number);
    const res = await submit(ch, pr, new SoftAuthenticator('localhost', 'http://localhost:5173'));
    expect(res.status).toBe(401);
  });

  it('members cannot approve', async () => {
    expect((await challenge(await h.user('member'), 1)).status).toBe(403);
  });
});
