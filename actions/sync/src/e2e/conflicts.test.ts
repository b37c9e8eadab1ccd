import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import type { SyncFixture } from './fixture.js';
import { OWNER, startSyncFixture } from './fixture.js';

let fx: SyncFixture;
const config = `targets:\n  - repo: ${OWNER}/mvp\n    paths: [docs/**]\n`;

beforeAll(async () => {
  fx = await startSyncFixture({
    source: { 'docs/a.md': 'a1\n', 'docs/b.md': 'b1\n', 'docs/c.md': 'c1\n', 'docs/d.md': 'd1\n' },
    targets: { mvp: { 'README.md': '# mvp\n' } },
  });
});
afterEach(() => fx.checkRequests());
afterAll(async () => fx?.stop());

async function mergeOpenPr(repo: string) {
  const client = fx.app;
  const { data } = await client.rest.pulls.list({ owner: OWNER, repo, state: 'open' });
  const pr = data[0]!;
  await client.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
    owner: OWNER,
    repo,
    pull_number: pr.number,
    merge_method: 'squash',
  });
  return pr.number;
}

async function file(path: string, ref = 'main'): Promise<string | undefined> {
  try {
    const { data } = await fx.app.rest.repos.getContent({ owner: OWNER, repo: 'mvp', path, ref });
    return Buffer.from((data as { content: string }).content, 'base64').toString('utf8');
  } catch {
    return undefined;
  }
}

async function conflictIssues() {
  const { data } = await fx.app.rest.issues.listForRepo({
    owner: OWNER,
    repo: 'mvp',
    state: 'all',
    labels: 'autocode:sync-conflict',
  });
  return data;
}

describe('three-way conflicts against people’s edits (sandbox forge)', () => {
  it('keeps a human edit, deletes only unchanged files, and opens one conflict issue', async () => {
    expect((await fx.sync(fx.targets(config))).targets[0]!.status).toBe('created');
    await mergeOpenPr('mvp');
    // People edit a.md and c.md in the target; the source changes a.md, deletes b.md (untouched here) and c.md.
    await fx.push('mvp', { 'docs/a.md': 'a1 + local fix\n', 'docs/c.md': 'c1 + local note\n' });
    await fx.push('foundation', {
      'docs/a.md': 'a2\n',
      'docs/b.md': null,
      'docs/c.md': null,
      'docs/d.md': 'd2\n',
    });
    await fx.refreshSource();

    const [r] = (await fx.sync(fx.targets(config))).targets;
    expect(r).toMatchObject({ status: 'created', plan: { modified: ['docs/d.md'], deleted: ['docs/b.md'] } });
    expect(r!.plan!.conflicts).toEqual([
      { path: 'docs/a.md', kind: 'edited-in-target', resolution: 'kept' },
      { path: 'docs/c.md', kind: 'edited-deleted-at-source', resolution: 'kept' },
    ]);
    expect(await file('docs/a.md', 'sync/foundation')).toBe('a1 + local fix\n');
    expect(await file('docs/c.md', 'sync/foundation')).toBe('c1 + local note\n');
    expect(await file('docs/b.md', 'sync/foundation')).toBeUndefined();
    const issues = await conflictIssues();
    expect(issues).toHaveLength(1);
    expect(issues[0]!.body).toContain('docs/a.md');
    expect(r!.issue?.number).toBe(issues[0]!.number);
  });

  it('a rerun neither duplicates the issue nor writes anything', async () => {
    fx.forge.clearRequests();
    const [r] = (await fx.sync(fx.targets(config))).targets;
    expect(r!.status).toBe('unchanged');
    expect(fx.writes()).toEqual({});
    expect(await conflictIssues()).toHaveLength(1);
  });

  it('closes the conflict issue once people resolve the edits', async () => {
    await fx.push('mvp', { 'docs/a.md': 'a2\n', 'docs/c.md': null }); // took the source's side of both
    const [r] = (await fx.sync(fx.targets(config))).targets;
    expect(r!.plan!.conflicts).toEqual([]);
    expect(r!.status).toBe('updated');
    const issues = await conflictIssues();
    expect(issues.map((i) => i.state)).toEqual(['closed']);
  });

  it('closes the sync PR when the target already matches the source', async () => {
    await mergeOpenPr('mvp');
    await fx.push('foundation', { 'docs/e.md': 'e1\n' });
    await fx.refreshSource();
    const opened = (await fx.sync(fx.targets(config))).targets[0]!;
    expect(opened.status).toBe('created');
    await fx.push('foundation', { 'docs/e.md': null }); // the source changes its mind
    await fx.refreshSource();
    const [r] = (await fx.sync(fx.targets(config))).targets;
    expect(r).toMatchObject({ status: 'closed', pr: { number: opened.pr!.number } });
    const { data } = await fx.app.rest.pulls.get({
      owner: OWNER,
      repo: 'mvp',
      pull_number: opened.pr!.number,
    });
    expect(data.state).toBe('closed');
    fx.forge.clearRequests();
    expect((await fx.sync(fx.targets(config))).targets[0]!.status).toBe('unchanged');
    expect(fx.writes()).toEqual({});
  });

  it('on_conflict: fail stops the target before any commit and still reports the issue', async () => {
    await fx.push('mvp', { 'docs/d.md': 'd2 edited here\n' });
    await fx.push('foundation', { 'docs/d.md': 'd3\n', 'docs/f.md': 'f\n' });
    await fx.refreshSource();
    fx.forge.clearRequests();
    const [r] = (await fx.sync(fx.targets(`${config}    on_conflict: fail\n`))).targets;
    expect(r).toMatchObject({ status: 'conflict' });
    const writes = fx.writes();
    expect(writes['POST /repos/{owner}/{repo}/git/commits']).toBeUndefined();
    expect(writes['POST /repos/{owner}/{repo}/issues']).toBe(1);
  });

  it('on_conflict: overwrite replaces the edit and says so', async () => {
    const [r] = (await fx.sync(fx.targets(`${config}    on_conflict: overwrite\n`))).targets;
    expect(r!.plan!.conflicts).toEqual([
      { path: 'docs/d.md', kind: 'edited-in-target', resolution: 'overwritten' },
    ]);
    expect(await file('docs/d.md', 'sync/foundation')).toBe('d3\n');
  });
});
