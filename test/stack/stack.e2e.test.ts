/**
 * `autocode up`'s stack (the same `startStack`), on a temporary state directory and free ports: sign in with
 * the development identity provider (code + PKCE), submit a sync command to the edge in workerd, and watch the
 * edge dispatch → forge run → local runner → the committed actions/sync bundle → a sync PR on the forge → the
 * job at `pr_opened`. A codegen command without an LLM provider fails with that reason. A restart on the same
 * state keeps the job history.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startStack } from '@autocode/sandbox/stack';
import type { Stack } from '@autocode/sandbox/stack';
import { signIn } from './sign-in.js';

const stateDir = mkdtempSync(join(tmpdir(), 'autocode-up-'));
const FREE = { app: 0, login: 0, keys: 0, forge: 0, llm: 0 };
const lines: string[] = [];
let stack: Stack;
let token: string;
let syncJob: string;
let codegenJob: string;

const start = () =>
  startStack({ stateDir, ports: FREE, env: {}, cronIntervalMs: 0, log: (l) => lines.push(l) });

async function edge(method: string, path: string, body?: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${stack.urls.edge}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

async function jobUntil(id: string, done: (state: string) => boolean, ms = 120_000) {
  const end = Date.now() + ms;
  for (;;) {
    const job = await edge('GET', `/v1/status/${id}`);
    if (done(String(job.state))) return job;
    if (Date.now() > end) throw new Error(`job ${id} stuck at ${JSON.stringify(job)}\n${lines.join('\n')}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  stack = await start();
  token = await signIn(stack.urls.signIn, stack.urls.app, 'member');
}, 180_000);

afterAll(async () => {
  await stack?.stop();
  rmSync(stateDir, { recursive: true, force: true });
});

describe('autocode up (local stack)', () => {
  it('serves the PWA and the edge from one origin', async () => {
    const page = await fetch(stack.urls.app);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(await page.text()).toContain('<div id="root"');
    const config = (await (await fetch(`${stack.urls.edge}/config.json`)).json()) as {
      oidc: { issuer: string };
      vapid_public_key: string;
    };
    expect(config.oidc.issuer).toBe(stack.urls.signIn);
    expect(config.vapid_public_key).toMatch(/^B[\w-]{86}$/);
    expect(await (await fetch(`${stack.urls.edge}/health`)).json()).toEqual({ ok: true });
  });

  it('a sync command runs the sync workflow on the local runner and opens sync PRs', async () => {
    const created = await edge('POST', '/v1/commands', { repo: 'acme/foundation', command: 'sync' });
    syncJob = String(created.job_id);
    const job = await jobUntil(syncJob, (s) => ['pr_opened', 'failed'].includes(s));
    // On failure, show why (the job's message carries the workflow's first error).
    expect(job.state === 'pr_opened' ? job.state : `failed: ${String(job.message)}`).toBe('pr_opened');
    expect(job.repo).toBe('acme/foundation');
    await stack.runner!.idle();
    const outcome = stack.runner!.outcomes.find((o) => o.dispatch.clientPayload.job_id === syncJob)!;
    expect(outcome).toMatchObject({ conclusion: 'success', workflow: '.github/workflows/sync-entry.yml' });
    const log = readFileSync(join(stateDir, 'sandbox/runs', `${outcome.runId}.log`), 'utf8');
    // The runner ran this repository's committed sync bundle (the `uses:` it resolved, then `node dist/index.js`).
    expect(log).toMatch(/node dist\/index\.js \(.*\/actions\/sync@/);
    const prs = (await (
      await fetch(`${stack.forge!.apiUrl}/repos/acme/mvp/pulls`, {
        headers: { authorization: `token ${stack.forge!.tokenForInstallation()}` },
      })
    ).json()) as { number: number; user: { login: string }; head: { ref: string } }[];
    const pr = prs.find((p) => p.number === job.pr_number || p.head.ref.startsWith('sync/'));
    expect(pr?.user.login).toBe('autocode-sandbox[bot]');
    // The forge's webhook told the edge about the PR: the phone's PR list shows it.
    const list = (await edge('GET', '/v1/prs')) as { prs?: { repo: string }[] };
    expect(JSON.stringify(list)).toContain('acme/mvp');
  }, 180_000);

  it('a codegen command without an LLM provider fails with "no LLM provider configured"', async () => {
    const created = await edge('POST', '/v1/commands', {
      repo: 'acme/mvp',
      command: 'codegen',
      prompt: 'Add a health endpoint',
    });
    codegenJob = String(created.job_id);
    const job = await jobUntil(codegenJob, (s) => ['failed', 'pr_opened'].includes(s), 60_000);
    expect(job.state).toBe('failed');
    expect(String(job.message)).toMatch(/^no LLM provider configured/);
  }, 90_000);

  it('a restart on the same state keeps the job history', async () => {
    const history = async () =>
      ((await edge('GET', '/v1/commands')) as { jobs: { job_id: string; state: string }[] }).jobs;
    const before = await history();
    expect(before.map((j) => j.job_id)).toEqual(expect.arrayContaining([syncJob, codegenJob]));
    await stack.stop();
    stack = await start();
    expect(stack.worker.migrationsApplied).toEqual([]);
    token = await signIn(stack.urls.signIn, stack.urls.app, 'member');
    expect(await history()).toEqual(before);
    expect(lines.filter((l) => l.startsWith('installed'))).toHaveLength(3); // first start only
  }, 180_000);
});
