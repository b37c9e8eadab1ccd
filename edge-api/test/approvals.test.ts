import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { REPO, startHarness } from './harness.js';
import type { Harness } from './harness.js';
import { SoftAuthenticator } from './authenticator.js';

let h: Harness;
let approver: string;
const key = new SoftAuthenticator('localhost', 'http://localhost:5173');
const HEAD = 'd'.repeat(40);

beforeAll(async () => {
  h = await startHarness();
  approver = await h.user('approver');
});
afterAll(async () => h?.close());

/** A job requested by `token`'s user whose PR (number) is open at HEAD. */
async function prRequestedBy(token: string, number: number, head = HEAD): Promise<void> {
  const cmd = await h.request('POST', '/v1/commands', {
    token,
    json: { repo: REPO, command: 'codegen', prompt: `pr ${number}` },
  });
  const jobId = String(cmd.body.job_id);
  const ev = await h.request('POST', `/v1/jobs/${jobId}/events`, {
    token: await h.issuer.mintActions({ repository: REPO }),
    json: { type: 'pr_opened', repository: REPO, pr_number: number, pr_url: `https://pr/${number}` },
  });
  expect(ev.body).toMatchObject({ applied: true });
  h.github.setPr(REPO, { number, head_sha: head });
}

/** Sign the challenge with `by` and submit the decision for PR `pr` at HEAD. */
async function submit(ch: { body: Record<string, unknown> }, pr: number, by = key) {
  const assertion = by.assert(String((ch.body.options as { challenge: string }).challenge));
  return h.request('POST', '/v1/approvals', {
    token: approver,
    json: { repo: REPO, pr_number: pr, decision: 'approve', head_sha: HEAD, assertion },
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
    await prRequestedBy(await h.user('member'), 21);
    const ch = await challenge(approver, 21);
    expect(ch.status).toBe(200);
    expect(ch.body.head_sha).toBe(HEAD);
    const assertion = key.assert(String((ch.body.options as { challenge: string }).challenge));
    const body = { repo: REPO, pr_number: 21, decision: 'approve', head_sha: HEAD, assertion };
    const res = await h.request('POST', '/v1/approvals', { token: approver, json: body });
    expect(res.status).toBe(201);
    expect(h.github.reviews).toHaveLength(1);
    expect(h.github.reviews[0]?.body).toMatchObject({ event: 'APPROVE', commit_id: HEAD });
    expect(String(h.github.reviews[0]?.body.body)).toContain('Aaron Approver');
    const audited = await h.db
      .prepare(`SELECT COUNT(*) AS n FROM audit_log WHERE entry LIKE '%"action":"pr_approve"%'`)
      .first<{ n: number }>();
    expect(audited?.n).toBe(1);

    // The same assertion replayed: its challenge is spent.
    const replay = await h.request('POST', '/v1/approvals', { token: approver, json: body });
    expect(replay.status).toBe(401);
    expect(h.github.reviews).toHaveLength(1);
  });

  it('the requester of a change cannot approve it', async () => {
    await prRequestedBy(approver, 22);
    const ch = await challenge(approver, 22);
    expect(ch.status).toBe(403);
    // Nor with a challenge obtained for another PR.
    await prRequestedBy(await h.user('member'), 23);
    const other = await challenge(approver, 23);
    const assertion = key.assert(String((other.body.options as { challenge: string }).challenge));
    const res = await h.request('POST', '/v1/approvals', {
      token: approver,
      json: { repo: REPO, pr_number: 22, decision: 'approve', head_sha: HEAD, assertion },
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('a challenge is bound to the decision and the PR', async () => {
    await prRequestedBy(await h.user('member'), 24);
    const ch = await challenge(approver, 24, 'approve');
    const assertion = key.assert(String((ch.body.options as { challenge: string }).challenge));
    const wrongDecision = await h.request('POST', '/v1/approvals', {
      token: approver,
      json: { repo: REPO, pr_number: 24, decision: 'request_changes', head_sha: HEAD, assertion },
    });
    expect(wrongDecision.status).toBe(401);
    const wrongPr = await h.request('POST', '/v1/approvals', {
      token: approver,
      json: { repo: REPO, pr_number: 21, decision: 'approve', head_sha: HEAD, assertion },
    });
    expect(wrongPr.status).toBe(401);
  });

  it('a head that moved after the challenge is a 409 and no review', async () => {
    await prRequestedBy(await h.user('member'), 25);
    const ch = await challenge(approver, 25);
    h.github.setPr(REPO, { number: 25, head_sha: 'e'.repeat(40) });
    const reviews = h.github.reviews.length;
    const res = await submit(ch, 25);
    expect(res.status).toBe(409);
    expect(h.github.reviews.length).toBe(reviews);
  });

  it('an assertion from an unregistered key is refused', async () => {
    await prRequestedBy(await h.user('member'), 26);
    const ch = await challenge(approver, 26);
    const res = await submit(ch, 26, new SoftAuthenticator('localhost', 'http://localhost:5173'));
    expect(res.status).toBe(401);
  });

  it('members cannot approve', async () => {
    expect((await challenge(await h.user('member'), 21)).status).toBe(403);
  });
});
