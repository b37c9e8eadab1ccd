/**
 * Rotation end to end, as the runner runs it: the committed bundle of actions/rotate-secrets against the sandbox
 * forge (GitHub), the edge Worker in workerd (kill switch, audit, webhook receiver) and a loopback stand-in for
 * Cloudflare's Workers-secrets API. "Deploying" the Worker = redeploying Miniflare with the secrets the stand-in
 * holds, as a Cloudflare secret update creates a new Worker version.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHmac, randomUUID } from 'node:crypto';
import { startForge } from '@autocode/sandbox';
import type { Forge } from '@autocode/sandbox';
import { startCloudflareStandIn } from '../../actions/rotate-secrets/src/test-support/cloudflare-standin.js';
import type { CloudflareStandIn } from '../../actions/rotate-secrets/src/test-support/cloudflare-standin.js';
import { startEdgeStack } from './edge-stack.js';
import type { EdgeStack } from './edge-stack.js';
import { runActionBundle } from './run-action.js';
import type { ActionRun } from './run-action.js';
import { until } from './support.js';

const ACCOUNT = '0123456789abcdef0123456789abcdef';
const OLD_HOOK_SECRET = `old-${randomUUID()}`;

let forge: Forge;
let edge: EdgeStack;
let cf: CloudflareStandIn;
let workdir: string;
const runs: ActionRun[] = [];

const workerSecrets = () => Object.fromEntries(cf.secrets.get('autocode-edge') ?? new Map());

async function ping(secret: string): Promise<number> {
  const body = JSON.stringify({ zen: 'test' });
  const res = await edge.request('POST', '/webhooks/github', {
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'ping',
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`,
    },
    body,
  });
  await res.text();
  return res.status;
}

async function rotate(
  extra: Record<string, string> = {},
  env: Record<string, string> = {},
): Promise<ActionRun> {
  const r = await runActionBundle('rotate-secrets', {
    forge,
    repository: 'acme/ops',
    cwd: workdir,
    inputs: {
      plan: 'rotation.yaml',
      'app-id': String(forge.app.appId),
      'app-private-key': forge.app.privateKey,
      'installation-id': String(forge.app.installationId),
      'webhook-app-id': String(forge.app.appId),
      'webhook-app-private-key': forge.app.privateKey,
      'github-api-url': forge.apiUrl,
      'cloudflare-api-token': cf.token,
      'cloudflare-api-url': cf.baseURL,
      'edge-url': edge.url,
      ...extra,
    },
    env: {
      CURRENT_WEBHOOK_SECRET: forge.decryptSecret('repo:acme/ops', 'AUTOCODE_WEBHOOK_SECRET') ?? '',
      ...env,
    },
  });
  runs.push(r);
  if (process.env.OPS_DEBUG) console.error(r.logs.replace(/^::(add-mask|debug)::.*\n/gm, ''));
  return r;
}

async function stateFile(): Promise<{ text: string; sha: string }> {
  const token = forge.tokenForInstallation();
  const res = await fetch(
    `${forge.apiUrl}/repos/acme/ops/contents/rotation-state.json?ref=autocode-rotation-state`,
    {
      headers: { authorization: `token ${token}` },
    },
  );
  const data = (await res.json()) as { content: string; sha: string };
  return { text: Buffer.from(data.content, 'base64').toString('utf8'), sha: data.sha };
}

beforeAll(async () => {
  forge = await startForge({ org: 'acme' });
  await forge.createRepo('acme', 'ops', { files: { 'README.md': 'ops\n' } });
  await forge.createRepo('acme', 'foundation', { files: { 'README.md': 'foundation\n' } });
  cf = await startCloudflareStandIn();
  cf.secrets.set(
    'autocode-edge',
    new Map([
      ['WEBHOOK_SECRET', OLD_HOOK_SECRET],
      ['METRICS_TOKEN', 'metrics-token'],
    ]),
  );
  edge = await startEdgeStack(forge, {
    owner: 'acme',
    killSwitchRepos: ['acme/ops'],
    secrets: workerSecrets(),
  });
  // A Cloudflare secret update creates a new Worker version at once: redeploy Miniflare with the new secrets.
  cf.onChange = () => edge.redeploy(workerSecrets());
  forge.setSecret('repo:acme/ops', 'AUTOCODE_WEBHOOK_SECRET', OLD_HOOK_SECRET);
  const token = forge.tokenForInstallation();
  await fetch(`${forge.apiUrl}/repos/acme/foundation/hooks`, {
    method: 'POST',
    headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({
      events: ['push'],
      config: { url: `${edge.url}/webhooks/github`, content_type: 'json', secret: OLD_HOOK_SECRET },
    }),
  });
  workdir = mkdtempSync(join(tmpdir(), 'rotation-plan-'));
  const created = new Date(Date.now() - 400 * 86_400_000).toISOString().slice(0, 10);
  writeFileSync(
    join(workdir, 'rotation.yaml'),
    `version: 1
grace_days: 7
state: { repo: acme/ops }
issues: { repo: acme/ops, labels: [security] }
secrets:
  - name: WEBHOOK_SECRET
    generator: { type: random, bytes: 32, encoding: hex }
    current_value_env: CURRENT_WEBHOOK_SECRET
    stores:
      - { type: cloudflare-worker, account_id: ${ACCOUNT}, script: autocode-edge, previous_name: WEBHOOK_SECRET_PREVIOUS }
      - { type: github-webhook, repo: acme/foundation, hook_url: '${edge.url}/webhooks/github' }
      - { type: github-actions, scope: repo, repo: acme/ops, name: AUTOCODE_WEBHOOK_SECRET }
    verify:
      - { type: webhook-ping, url: '${edge.url}/webhooks/github' }
  - name: METRICS_TOKEN
    generator: { type: random, bytes: 24, encoding: base64url, prefix: mt_ }
    stores:
      - { type: cloudflare-worker, account_id: ${ACCOUNT}, script: autocode-edge }
      - { type: github-actions, scope: org, org: acme, name: AUTOCODE_METRICS_TOKEN, visibility: private }
      - { type: github-actions, scope: environment, repo: acme/ops, environment: monitoring, name: METRICS_TOKEN }
  - name: APP_WEBHOOK_SECRET
    generator: { type: random, bytes: 32, encoding: hex }
    stores:
      - { type: github-webhook, app: true }
      - { type: github-actions, scope: repo, repo: acme/ops, name: APP_WEBHOOK_SECRET }
  - name: GITHUB_APP_PRIVATE_KEY
    manual: true
    kind: github-app-key
    created_at: '${created}'
`,
  );
}, 120_000);

afterAll(async () => {
  await edge?.close();
  await cf?.close();
  await forge?.stop();
});

describe('rotate-secrets on the sandbox', () => {
  let newHook = '';
  let newMetrics = '';

  it('rotates: every store gets the new value, the forge decrypts it, the edge accepts old and new during grace', async () => {
    const r = await rotate();
    expect(r.code).toBe(0);
    newHook = forge.decryptSecret('repo:acme/ops', 'AUTOCODE_WEBHOOK_SECRET')!;
    newMetrics = forge.decryptSecret('org:acme', 'AUTOCODE_METRICS_TOKEN')!;
    expect(newHook).toMatch(/^[0-9a-f]{64}$/);
    expect(newHook).not.toBe(OLD_HOOK_SECRET);
    expect(newMetrics).toMatch(/^mt_[A-Za-z0-9_-]{32}$/);
    expect(forge.decryptSecret('env:acme/ops/monitoring', 'METRICS_TOKEN')).toBe(newMetrics);
    expect(workerSecrets()).toEqual({
      WEBHOOK_SECRET: newHook,
      WEBHOOK_SECRET_PREVIOUS: OLD_HOOK_SECRET,
      METRICS_TOKEN: newMetrics,
    });
    expect(forge.state.hooks.find((h) => h.scope === 'repo:acme/foundation')?.config.secret).toBe(newHook);
    // The App's own webhook (PATCH /app/hook/config with the App's JWT).
    const appHook = forge.decryptSecret('repo:acme/ops', 'APP_WEBHOOK_SECRET');
    expect(appHook).toMatch(/^[0-9a-f]{64}$/);
    expect(forge.state.app?.webhook.secret).toBe(appHook);

    expect(await ping(OLD_HOOK_SECRET)).toBe(200);
    expect(await ping(newHook)).toBe(200);
    expect(await ping('some-other-secret')).toBe(401);
    const metrics = await edge.request('GET', '/metrics', {
      headers: { authorization: `Bearer ${newMetrics}` },
    });
    expect(metrics.status).toBe(200);

    // The forge's own delivery (a push to foundation) is signed with the new secret and accepted by the edge.
    const token = forge.tokenForInstallation();
    const put = await fetch(`${forge.apiUrl}/repos/acme/foundation/contents/notes.md`, {
      method: 'PUT',
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ message: 'notes', content: Buffer.from('hi\n').toString('base64') }),
    });
    expect(put.status).toBe(201);
    await forge.webhooks.idle();
    expect(forge.webhooks.deliveries.filter((d) => d.event === 'push').map((d) => d.statusCode)).toEqual([
      200,
    ]);

    const state = JSON.parse((await stateFile()).text);
    expect(state.secrets.WEBHOOK_SECRET.pending.slots).toEqual([
      'cloudflare-worker autocode-edge WEBHOOK_SECRET',
    ]);
    expect(state.secrets.METRICS_TOKEN.pending).toBeUndefined();
  });

  it('opens one issue for the old App key and keeps waiting during the grace period without writing', async () => {
    forge.clearRequests();
    const before = cf.versions;
    const r = await rotate();
    expect(r.code).toBe(0);
    expect(JSON.parse(r.outputs.outcomes!).map((o: { action: string }) => o.action)).toEqual([
      'wait',
      'ok',
      'ok',
      'manual',
    ]);
    expect(cf.versions).toBe(before);
    const writes = forge.countsByRoute({ writesOnly: true });
    expect(
      Object.keys(writes).filter((k) => !k.includes('access_tokens') && !k.includes('/contents/')),
    ).toEqual([]);
    const issues = forge.state.issues ?? [];
    expect(JSON.stringify(issues).match(/Rotate GITHUB_APP_PRIVATE_KEY by hand/g)?.length).toBe(1);
  });

  it('revokes in a later scheduled run: only the new webhook secret is accepted afterwards', async () => {
    // Fast-forward: the state says the grace period ended (what a run 7 days later would read).
    const { text, sha } = await stateFile();
    const state = JSON.parse(text);
    state.secrets.WEBHOOK_SECRET.pending.revokeAfter = new Date(Date.now() - 1000).toISOString();
    const token = forge.tokenForInstallation();
    await fetch(`${forge.apiUrl}/repos/acme/ops/contents/rotation-state.json`, {
      method: 'PUT',
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        message: 'fast-forward',
        branch: 'autocode-rotation-state',
        sha,
        content: Buffer.from(JSON.stringify(state)).toString('base64'),
      }),
    });
    const r = await rotate();
    expect(r.code).toBe(0);
    expect(workerSecrets()).toEqual({ WEBHOOK_SECRET: newHook, METRICS_TOKEN: newMetrics });
    expect(await ping(OLD_HOOK_SECRET)).toBe(401);
    expect(await ping(newHook)).toBe(200);
    expect(JSON.parse((await stateFile()).text).secrets.WEBHOOK_SECRET.pending).toBeUndefined();
  });

  it('exits before its first write while the kill switch is active', async () => {
    const dispatched = forge.dispatches.length;
    expect((await edge.killSwitch(true, 'rotation test')).status).toBe(200);
    // The edge's own `autocode.killswitch` dispatch goes out first; what follows is the action's traffic only.
    await until(() => forge.dispatches.length > dispatched);
    forge.clearRequests();
    cf.requests.length = 0;
    const r = await rotate({ rotate: '*' });
    expect(r.code).not.toBe(0);
    expect(r.outputs['error-code']).toBe('KILL_SWITCH_ACTIVE');
    expect(forge.countsByRoute({ kind: 'api' })).toEqual({});
    expect(cf.requests).toEqual([]);
    expect((await edge.killSwitch(false, 'done')).status).toBe(200);
  });

  it('never logs a secret value (action logs, summary, outputs, state file, issues, forge request log)', async () => {
    // `::add-mask::` lines are commands the runner consumes (they register the mask and are never displayed).
    const visible = (logs: string) =>
      logs
        .split('\n')
        .filter((l) => !l.startsWith('::add-mask::'))
        .join('\n');
    const values = [OLD_HOOK_SECRET, newHook, newMetrics, forge.app.privateKey.split('\n')[1]!];
    const haystacks = [
      ...runs.map((r) => visible(r.logs)),
      (await stateFile()).text,
      JSON.stringify(forge.state.issues ?? []),
      JSON.stringify(forge.requests),
    ];
    for (const v of values) for (const h of haystacks) expect(h.includes(v)).toBe(false);
    const audit = await (
      await edge.d1()
    )
      .prepare('SELECT COUNT(*) AS n FROM audit_log')
      .first<{ n: number }>();
    expect(audit?.n).toBeGreaterThanOrEqual(8);
  });
});
