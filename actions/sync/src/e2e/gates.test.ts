import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { IncomingMessage, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EdgeClient } from '@autocode/toolkit';
import type { JobEvent } from '@autocode/toolkit';
import type { SyncFixture } from './fixture.js';
import { OWNER, startSyncFixture } from './fixture.js';
import { policyGate } from '../policy-gate.js';

let fx: SyncFixture;
let edge: Server;
let edgeUrl: string;
let killSwitch = { active: false, reason: '' };
const events: { job: string; event: JobEvent }[] = [];

async function json(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : undefined;
}

beforeAll(async () => {
  fx = await startSyncFixture({
    source: {
      'docs/a.md': 'a\n',
      // A credential in the synced content: the policy must keep auto-merge off for it.
      'secrets/aws.env': 'AWS_ACCESS_KEY_ID=AKIAQWERTYUIOPASDFGH\n',
    },
    targets: {
      clean: { 'README.md': '# clean\n' },
      leaky: { 'README.md': '# leaky\n' },
      gated: { 'README.md': '# gated\n' },
    },
  });
  for (const repo of ['clean', 'leaky', 'gated']) {
    await fx.app.rest.repos.update({ owner: OWNER, repo, allow_auto_merge: true });
  }
  // A loopback stand-in for the edge API: records job events, serves the kill switch.
  edge = createServer(async (req, res) => {
    const m = /^\/v1\/jobs\/([^/]+)\/events$/.exec(req.url ?? '');
    if (req.method === 'POST' && m)
      events.push({ job: decodeURIComponent(m[1]!), event: (await json(req)) as JobEvent });
    res.setHeader('content-type', 'application/json');
    res.end(JSON.stringify(req.url === '/v1/killswitch' ? killSwitch : { applied: true }));
  });
  await new Promise<void>((r) => edge.listen(0, '127.0.0.1', r));
  edgeUrl = `http://127.0.0.1:${(edge.address() as AddressInfo).port}`;
});
afterEach(() => fx.checkRequests());
afterAll(async () => {
  await new Promise((r) => edge?.close(r));
  await fx?.stop();
});

const client = () => new EdgeClient({ baseUrl: edgeUrl, getToken: async () => 'oidc-token', retries: 0 });

describe('edge events, kill switch and the auto-merge gates (sandbox forge)', () => {
  it('auto-merge: the policy denies a change carrying a secret, allows a clean one, and approvals keep it off', async () => {
    const targets = fx.targets(
      `targets:\n` +
        `  - repo: ${OWNER}/clean\n    paths: [docs/**]\n    auto_merge: true\n` +
        `  - repo: ${OWNER}/leaky\n    paths: [docs/**, secrets/**]\n    auto_merge: true\n` +
        `  - repo: ${OWNER}/gated\n    paths: [docs/**]\n    auto_merge: true\n    require_approvals: 1\n`,
    );
    fx.forge.clearRequests();
    const result = await fx.sync(targets, { policy: policyGate(fx.app) });
    const [clean, leaky, gated] = result.targets;
    expect(leaky!.autoMerge).toMatch(/^off: policy denied \(no-secrets: /);
    expect(gated!.autoMerge).toBe('off: require_approvals is 1');
    // Policy passed: autocode asked GitHub (GraphQL enablePullRequestAutoMerge) once, for that target only.
    const graphql = fx.forge.requests.filter((r) => r.method === 'POST' && r.path.endsWith('/graphql'));
    expect(graphql).toHaveLength(1);
    // The sandbox forge has no GraphQL endpoint yet (404): GitHub's refusal is reported, not fatal.
    expect(clean!.autoMerge).toMatch(/^(enabled|off: GitHub refused to enable auto-merge \(.+\))$/);
  });

  it('reports opened PRs, conflicts and failures to the edge as job events', async () => {
    events.length = 0;
    await fx.push('clean', { 'docs/a.md': 'edited here\n' }, { message: 'a local edit' });
    await fx.push('foundation', { 'docs/a.md': 'a2\n', 'docs/b.md': 'b\n' });
    await fx.refreshSource();
    const targets = fx.targets(
      `targets:\n  - repo: ${OWNER}/clean\n    paths: [docs/**]\n  - repo: ${OWNER}/nope\n    paths: [docs/**]\n`,
    );
    const edgeClient = client();
    await fx.sync(targets, { emit: (e) => edgeClient.postJobEvent('job-7', e) });
    const byRepo = Object.fromEntries(events.map((e) => [e.event.repository, e.event]));
    expect(events.every((e) => e.job === 'job-7')).toBe(true);
    expect(byRepo[`${OWNER}/nope`]).toMatchObject({ type: 'failed' });
    // The open PR picked up b.md while a.md (edited in the target, never merged) is a conflict.
    expect(byRepo[`${OWNER}/clean`]?.type).toMatch(/^(conflict|pr_opened)$/);
  });

  it('the kill switch stops every target before any write', async () => {
    killSwitch = { active: true, reason: 'incident 42' };
    await fx.push('foundation', { 'docs/c.md': 'c\n' });
    await fx.refreshSource();
    fx.forge.clearRequests();
    const edgeClient = client();
    const result = await fx.sync(fx.targets(`targets:\n  - repo: ${OWNER}/gated\n    paths: [docs/**]\n`), {
      beforeWrites: () => edgeClient.assertNotKilled(),
    });
    expect(result.targets[0]).toMatchObject({ status: 'failed', error: { code: 'KILL_SWITCH_ACTIVE' } });
    expect(fx.writes()).toEqual({});
    killSwitch = { active: false, reason: '' };
  });

  it('create_pr: false commits to the sync branch only; a PR closed by people is not reopened', async () => {
    const branchOnly = fx.targets(
      `targets:\n  - repo: ${OWNER}/gated\n    paths: [docs/**]\n    branch: sync/branch-only\n    create_pr: false\n`,
    );
    const [r] = (await fx.sync(branchOnly)).targets;
    expect(r).toMatchObject({ status: 'branch-updated' });
    expect(r!.pr).toBeUndefined();
    const { data: prs } = await fx.app.rest.pulls.list({
      owner: OWNER,
      repo: 'gated',
      head: `${OWNER}:sync/branch-only`,
      state: 'all',
    });
    expect(prs).toHaveLength(0);

    const targets = fx.targets(`targets:\n  - repo: ${OWNER}/gated\n    paths: [docs/**]\n`);
    const [synced] = (await fx.sync(targets)).targets;
    await fx.app.rest.pulls.update({
      owner: OWNER,
      repo: 'gated',
      pull_number: synced!.pr!.number,
      state: 'closed',
    });
    fx.forge.clearRequests();
    const [again] = (await fx.sync(targets)).targets;
    expect(again).toMatchObject({ status: 'declined' });
    expect(fx.writes()).toEqual({});
  });
});
