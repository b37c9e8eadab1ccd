import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncFixture } from './fixture.js';
import { OWNER, SOURCE, git, startSyncFixture } from './fixture.js';
import { statePath } from '../state.js';

const PNG = Buffer.from([
  0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d, 0xff, 0xfe, 0x00, 0x01,
]);
let fx: SyncFixture;

const config = `targets:
  - repo: ${OWNER}/mvp
    paths: [docs/**, scripts/**, assets/**]
    exclude: ["**/*.test.ts"]
    labels: [sync/foundation, auto-generated]
    reviewers: [bob, team:mvp-team]
  - repo: ${OWNER}/production
    paths: [docs/**]
    require_approvals: 2
    draft: true
  - repo: elsewhere/private
    paths: [docs/**]
`;

beforeAll(async () => {
  fx = await startSyncFixture({
    source: {
      'docs/guide.md': '# Guide\n',
      'docs/api.md': '# API\n',
      'docs/skip.test.ts': 'excluded\n',
      'scripts/deploy.sh': { content: '#!/bin/sh\necho deploy\n', mode: '100755' },
      'assets/logo.png': PNG,
      'src/private.ts': 'not synced\n',
    },
    targets: { mvp: { 'README.md': '# mvp\n' }, production: { 'README.md': '# production\n' } },
  });
  fx.forge.createUser('bob', { email: 'bob@example.com' });
  fx.forge.createTeam(OWNER, 'mvp-team', ['bob']);
  // A repository the App is not installed on.
  fx.forge.createOrg('elsewhere');
  await fx.forge.createRepo('elsewhere', 'private', { files: { 'README.md': 'x\n' } });
});
afterEach(() => fx.checkRequests());
afterAll(async () => fx?.stop());

async function pulls(repo: string) {
  const { data } = await fx.app.rest.pulls.list({ owner: OWNER, repo, state: 'all' });
  return data;
}

async function fileAt(repo: string, ref: string, path: string) {
  const { data } = await fx.app.rest.repos.getContent({ owner: OWNER, repo, path, ref });
  return Buffer.from((data as { content: string }).content, 'base64').toString('utf8');
}

describe('sync to target repositories (sandbox forge)', () => {
  it('dry run: a full plan per target and zero writes', async () => {
    fx.forge.clearRequests();
    const result = await fx.sync(fx.targets(config), { dryRun: true });
    expect(fx.writes()).toEqual({});
    const mvp = result.targets[0]!;
    expect(mvp.status).toBe('planned');
    expect(mvp.plan).toMatchObject({
      added: ['assets/logo.png', 'docs/api.md', 'docs/guide.md', 'scripts/deploy.sh'],
      modified: [],
      deleted: [],
      conflicts: [],
      prAction: 'create',
      branch: 'sync/foundation',
    });
    expect(result.targets[2]).toMatchObject({
      repo: 'elsewhere/private',
      status: 'failed',
      error: { code: 'FORBIDDEN' },
    });
  });

  it('first sync: one verified commit with provenance, PR with labels and reviewers; a target the App cannot access fails alone', async () => {
    fx.forge.clearRequests();
    const result = await fx.sync(fx.targets(config));
    const [mvp, production, denied] = result.targets;
    expect(mvp).toMatchObject({ status: 'created', pr: { number: expect.any(Number) } });
    expect(production).toMatchObject({ status: 'created' });
    expect(denied).toMatchObject({ status: 'failed', error: { code: 'FORBIDDEN' } });
    expect(denied!.message).toContain('cannot access elsewhere/private');
    expect(result.ok).toBe(false);

    const writes = fx.writes();
    expect(writes['POST /repos/{owner}/{repo}/git/commits']).toBe(2);
    expect(writes['POST /repos/{owner}/{repo}/git/trees']).toBe(2);
    expect(writes['POST /repos/{owner}/{repo}/git/blobs']).toBe(1); // only the PNG; text went inline
    expect(writes['POST /repos/{owner}/{repo}/contents/{path+}']).toBeUndefined();

    const { data: commit } = await fx.app.rest.git.getCommit({
      owner: OWNER,
      repo: 'mvp',
      commit_sha: mvp!.commit!,
    });
    expect(commit.verification?.verified).toBe(true);
    expect(commit.parents).toHaveLength(1);
    const source = await git(fx.sourceDir, ['rev-parse', 'HEAD']);
    expect(commit.message).toContain(`Synced-From: ${SOURCE}@${source}`);
    expect(commit.message).toContain('Sync-Run: ');

    const [pr] = await pulls('mvp');
    expect(pr).toMatchObject({
      state: 'open',
      head: { ref: 'sync/foundation', sha: mvp!.commit },
      base: { ref: 'main' },
    });
    expect(pr!.labels.map((l) => l.name).sort()).toEqual(['auto-generated', 'sync/foundation']);
    expect(pr!.requested_reviewers?.map((u) => u.login)).toEqual(['bob']);
    expect(pr!.requested_teams?.map((t) => t.slug)).toEqual(['mvp-team']);
    expect(pr!.draft).toBe(false);
    expect((await pulls('production'))[0]!.draft).toBe(true);
  });

  it('keeps binary bytes and the executable bit, and never syncs excluded or unselected files', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sync-clone-'));
    await git(dir, [
      'clone',
      '--quiet',
      '--branch',
      'sync/foundation',
      fx.forge.gitUrl(OWNER, 'mvp', fx.human.token),
      'c',
    ]);
    const clone = join(dir, 'c');
    expect(readFileSync(join(clone, 'assets/logo.png')).equals(PNG)).toBe(true);
    expect(statSync(join(clone, 'scripts/deploy.sh')).mode & 0o111).not.toBe(0);
    expect(await git(clone, ['ls-files', '-s', 'scripts/deploy.sh'])).toMatch(/^100755 /);
    expect(await git(clone, ['ls-files'])).not.toMatch(/skip\.test\.ts|src\/private\.ts/);
    const state = JSON.parse(readFileSync(join(clone, statePath(SOURCE)), 'utf8'));
    expect(Object.keys(state.files).sort()).toEqual([
      'assets/logo.png',
      'docs/api.md',
      'docs/guide.md',
      'scripts/deploy.sh',
    ]);
    expect(
      execFileSync('git', ['log', '--format=%s', 'origin/main..HEAD'], { cwd: clone, encoding: 'utf8' })
        .trim()
        .split('\n'),
    ).toHaveLength(1);
  });

  it('a rerun with no source change makes zero API writes', async () => {
    fx.forge.clearRequests();
    const result = await fx.sync(fx.targets(config));
    expect(result.targets.slice(0, 2).map((t) => t.status)).toEqual(['unchanged', 'unchanged']);
    expect(fx.writes()).toEqual({});
    expect(result.writes).toBe(0);
  });

  it('a source change updates the same PR (one new commit, no second PR)', async () => {
    const before = (await pulls('mvp')).length;
    await fx.push('foundation', { 'docs/guide.md': '# Guide\n\nVersion 2.\n' });
    await fx.refreshSource();
    fx.forge.clearRequests();
    const result = await fx.sync(fx.targets(config));
    // The plan is relative to the default branch: the PR is not merged yet, so the file is still "added".
    expect(result.targets[0]).toMatchObject({ status: 'updated', plan: { prAction: 'update' } });
    expect(result.targets[0]!.plan!.added).toContain('docs/guide.md');
    expect(await pulls('mvp')).toHaveLength(before);
    expect(fx.writes()['POST /repos/{owner}/{repo}/pulls']).toBeUndefined();
    expect(await fileAt('mvp', 'sync/foundation', 'docs/guide.md')).toContain('Version 2.');
    const [pr] = await pulls('mvp');
    expect(pr!.head.sha).toBe(result.targets[0]!.commit);
  });

  it('people pushing to the sync branch stop that target without force-pushing over them', async () => {
    const human = await fx.push(
      'production',
      { 'docs/note.md': 'a human note\n' },
      { branch: 'sync/foundation' },
    );
    await fx.push('foundation', { 'docs/api.md': '# API v2\n' });
    await fx.refreshSource();
    const result = await fx.sync(fx.targets(config));
    expect(result.targets[1]).toMatchObject({ status: 'blocked' });
    expect(result.targets[1]!.message).toContain('pushed by people');
    expect(result.targets[1]!.writes).toBe(0);
    const { data: ref } = await fx.app.rest.git.getRef({
      owner: OWNER,
      repo: 'production',
      ref: 'heads/sync/foundation',
    });
    expect(ref.object.sha).toBe(human);
    expect(result.targets[0]!.status).toBe('updated'); // the other target went on
  });
});
