import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { SyncFixture } from './fixture.js';
import { OWNER, git, startSyncFixture } from './fixture.js';

let fx: SyncFixture;
const config = (repo: string, extra = '') =>
  `targets:\n  - repo: ${OWNER}/${repo}\n    paths: [docs/**]\n${extra}`;

beforeAll(async () => {
  fx = await startSyncFixture({
    source: { 'docs/a.md': 'a1\n', 'docs/b.md': 'b1\n' },
    targets: {
      web: { 'README.md': '# web\n' },
      api: { 'README.md': '# api\n' },
      ops: { 'README.md': '# ops\n', 'docs/a.md': 'ops own\n' },
    },
  });
});
afterEach(() => fx.checkRequests());
afterAll(async () => fx?.stop());

async function openPulls(repo: string) {
  const { data } = await fx.app.rest.pulls.list({ owner: OWNER, repo, state: 'all' });
  return data;
}

describe('rate limits, partial failures, rollback and unsafe input (sandbox forge)', () => {
  it('a secondary rate limit mid-run is waited out: one PR, one commit, no duplicates', async () => {
    fx.forge.faults.add({ route: 'POST /repos/{owner}/{repo}/pulls', status: 403, retryAfter: 1, times: 1 });
    fx.forge.faults.add({
      route: 'POST /repos/{owner}/{repo}/git/commits',
      status: 429,
      retryAfter: 1,
      times: 1,
    });
    fx.forge.clearRequests();
    const [r] = (await fx.sync(fx.targets(config('web')))).targets;
    expect(r!.status).toBe('created');
    expect(fx.forge.requests.filter((q) => q.injected)).toHaveLength(2);
    expect(await openPulls('web')).toHaveLength(1);
    expect(fx.writes()['POST /repos/{owner}/{repo}/pulls']).toBe(2); // one refused, one accepted
  });

  it('a run that fails half-way resumes and converges on the rerun', async () => {
    fx.forge.faults.add({ route: 'POST /repos/{owner}/{repo}/pulls', status: 403, retryAfter: 0, times: 20 });
    const first = (await fx.sync(fx.targets(config('api')))).targets[0]!;
    expect(first).toMatchObject({ status: 'failed', error: { code: 'RATE_LIMITED' } });
    expect(first.writes).toBeGreaterThan(0); // the branch and its commit were written
    fx.forge.faults.clear();
    fx.forge.clearRequests();
    const [r] = (await fx.sync(fx.targets(config('api')))).targets;
    expect(r!.status).toBe('created');
    const writes = fx.writes();
    expect(writes['POST /repos/{owner}/{repo}/git/commits']).toBeUndefined(); // the branch was already right
    expect(writes['POST /repos/{owner}/{repo}/pulls']).toBe(1);
    expect(await openPulls('api')).toHaveLength(1);
    const { data } = await fx.app.rest.repos.compareCommitsWithBasehead({
      owner: OWNER,
      repo: 'api',
      basehead: 'main...sync/foundation',
    });
    expect(data.ahead_by).toBe(1);
  });

  it('rollback of an unmerged sync closes its PR; of a merged one opens a restoring PR', async () => {
    const [closed] = (await fx.rollback(fx.targets(config('api')))).targets;
    expect(closed).toMatchObject({ status: 'closed' });
    expect((await openPulls('api'))[0]!.state).toBe('closed');

    const [pr] = await openPulls('web');
    await fx.app.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
      owner: OWNER,
      repo: 'web',
      pull_number: pr!.number,
      merge_method: 'squash',
    });
    fx.forge.clearRequests();
    const dry = (await fx.rollback(fx.targets(config('web')), { dryRun: true })).targets[0]!;
    expect(dry.plan).toMatchObject({ deleted: ['docs/a.md', 'docs/b.md'] });
    expect(fx.writes()).toEqual({});

    const [r] = (await fx.rollback(fx.targets(config('web')))).targets;
    expect(r).toMatchObject({ status: 'created', plan: { deleted: ['docs/a.md', 'docs/b.md'] } });
    const { data: restoring } = await fx.app.rest.pulls.get({
      owner: OWNER,
      repo: 'web',
      pull_number: r!.pr!.number,
    });
    expect(restoring).toMatchObject({ state: 'open', head: { ref: 'sync-rollback/foundation' } });
    const { data: commit } = await fx.app.rest.git.getCommit({
      owner: OWNER,
      repo: 'web',
      commit_sha: r!.commit!,
    });
    expect(commit.verification?.verified).toBe(true);
    expect(commit.message).toMatch(/Rollback-Of: acme\/foundation@[0-9a-f]{40}/);
  });

  it('rollback --to restores the files as synced from an earlier source commit', async () => {
    const first = await git(fx.sourceDir, ['rev-parse', 'HEAD']);
    await fx.push('foundation', { 'docs/a.md': 'a2\n' });
    await fx.refreshSource();
    const [pr] = (await openPulls('web')).filter(
      (p) => p.state === 'open' && p.head.ref === 'sync-rollback/foundation',
    );
    await fx.app.rest.pulls.update({ owner: OWNER, repo: 'web', pull_number: pr!.number, state: 'closed' });
    expect((await fx.sync(fx.targets(config('web')))).targets[0]!.status).toBe('created');
    const [sync] = (await openPulls('web')).filter((p) => p.state === 'open');
    await fx.app.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
      owner: OWNER,
      repo: 'web',
      pull_number: sync!.number,
      merge_method: 'squash',
    });
    const [r] = (await fx.rollback(fx.targets(config('web')), { to: first.slice(0, 10) })).targets;
    expect(r).toMatchObject({ status: 'created', plan: { modified: ['docs/a.md'], deleted: [], added: [] } });
  });

  it('refuses a symlink in the source (one pointing outside or not) before any write', async () => {
    symlinkSync('../../../etc/passwd', join(fx.sourceDir, 'docs/escape'));
    await git(fx.sourceDir, ['add', 'docs/escape']);
    await git(fx.sourceDir, ['commit', '--quiet', '-m', 'a link']);
    fx.forge.clearRequests();
    const [r] = (await fx.sync(fx.targets(config('ops')))).targets;
    expect(r).toMatchObject({ status: 'failed', error: { code: 'UNSAFE_PATH' } });
    expect(r!.message).toContain('docs/escape is a symlink');
    expect(fx.writes()).toEqual({});
    await git(fx.sourceDir, ['reset', '--quiet', '--hard', 'HEAD~1']);
  });

  it('a file the target had before any sync is reported, not overwritten', async () => {
    const [r] = (await fx.sync(fx.targets(config('ops')))).targets;
    expect(r!.plan!.conflicts).toEqual([
      { path: 'docs/a.md', kind: 'untracked-in-target', resolution: 'kept' },
    ]);
    expect(r!.issue).toBeDefined();
  });
});
