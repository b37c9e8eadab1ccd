/**
 * The README's walkthrough on `autocode up --llm sandbox`, through the same HTTP calls the PWA makes: a member
 * asks for a change (codegen: four workflow jobs on the local runner, the sandbox LLM answering) and gets a draft
 * PR; the PR and its diff are listed; an approver registers a passkey and approves with a WebAuthn assertion,
 * and the review lands on the forge as the reviewer App; an admin trips the kill switch, the next command is
 * refused and the kill-switch workflow disables the automation workflows; clearing re-enables them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '@autocode/sandbox/stack';
import type { Stack } from '@autocode/sandbox/stack';
import { SoftAuthenticator } from '../../edge-api/test/authenticator.js';
import { signIn } from './sign-in.js';

const stateDir = mkdtempSync(join(tmpdir(), 'autocode-walk-'));
let stack: Stack;
const tokens: Record<string, string> = {};
let pr: { id: number; number: number; repo: string };

async function call(user: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${stack.urls.edge}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${tokens[user]}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

async function until<T>(what: () => Promise<T | undefined>, ms = 120_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await what();
    if (v !== undefined) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

const workflowStates = () =>
  Object.fromEntries(
    (stack.forge!.state.workflows['acme/mvp'] ?? []).map((w: { path: string; state: string }) => [
      w.path.split('/').pop(),
      w.state,
    ]),
  );

beforeAll(async () => {
  const free = { app: 0, login: 0, keys: 0, forge: 0, llm: 0 };
  stack = await startStack({ stateDir, ports: free, llm: 'sandbox', env: {}, cronIntervalMs: 0 });
  for (const user of ['member', 'approver', 'admin'])
    tokens[user] = await signIn(stack.urls.signIn, stack.urls.app, user);
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('README walkthrough (autocode up --llm sandbox)', () => {
  it('a command becomes a draft PR written by the sandbox LLM', async () => {
    const { body } = await call('member', 'POST', '/v1/commands', {
      repo: 'acme/mvp',
      command: 'codegen',
      prompt: 'Add a health endpoint',
    });
    const job = await until(async () => {
      const { body: j } = await call('member', 'GET', `/v1/status/${String(body.job_id)}`);
      return ['pr_opened', 'failed'].includes(String(j.state)) ? j : undefined;
    });
    expect(job.state === 'pr_opened' ? job.state : `failed: ${String(job.message)}`).toBe('pr_opened');
    const listed = await until(async () => {
      const { body: l } = await call('member', 'GET', '/v1/prs');
      return (l.prs as { id: number; number: number; repo: string }[]).find(
        (p) => p.repo === 'acme/mvp' && p.number === job.pr_number,
      );
    }, 10_000);
    pr = listed;
    const { body: detail } = await call('member', 'GET', `/v1/prs/${pr.id}`);
    expect(JSON.stringify(detail.files)).toContain('docs/autocode-demo.md');
  }, 180_000);

  it('an approver approves with a passkey; the review is the reviewer App', async () => {
    const key = new SoftAuthenticator('localhost', stack.urls.edge);
    const options = await call('approver', 'POST', '/v1/webauthn/register/options');
    const registered = await call(
      'approver',
      'POST',
      '/v1/webauthn/register/verify',
      key.register(String(options.body.challenge)),
    );
    expect(registered.status).toBe(201);
    const target = { repo: pr.repo, pr_number: pr.number, decision: 'approve' };
    const ch = await call('approver', 'POST', '/v1/approvals/challenge', target);
    expect(ch.status).toBe(200);
    const challenge = String((ch.body.options as { challenge: string }).challenge);
    const approved = await call('approver', 'POST', '/v1/approvals', {
      ...target,
      head_sha: ch.body.head_sha,
      assertion: key.assert(challenge),
    });
    expect(approved.status).toBe(201);
    const reviews = Object.values(stack.forge!.state.reviews)
      .flat()
      .filter((r) => r.number === pr.number);
    expect(reviews).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ state: 'APPROVED', user: 'autocode-reviewer[bot]' }),
      ]),
    );
  });

  it('the kill switch refuses the next command and disables the automation workflows until cleared', async () => {
    const tripped = await call('admin', 'POST', '/v1/killswitch', {
      reason: 'walkthrough',
      duration_minutes: 30,
    });
    expect(tripped.status).toBe(200);
    const refused = await call('member', 'POST', '/v1/commands', { repo: 'acme/mvp', command: 'sync' });
    expect(refused.status).toBe(423);
    await until(
      async () => (workflowStates()['codegen.yml'] === 'disabled_manually' ? true : undefined),
      60_000,
    );
    expect(workflowStates()['killswitch.yml']).toBe('active');
    await call('admin', 'POST', '/v1/killswitch', { active: false, reason: 'done' });
    await until(async () => (workflowStates()['codegen.yml'] === 'active' ? true : undefined), 60_000);
  }, 150_000);
});
