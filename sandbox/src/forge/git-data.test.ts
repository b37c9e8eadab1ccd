import { describe, expect, it } from '@jest/globals';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { git, tempDir, useForgeFixture } from './test-support.js';

const owner = 'acme';

const fx = useForgeFixture(async () => {
  await fx.forge.createRepo(owner, 'data', {
    files: { 'README.md': '# data\n', 'src/a.ts': 'export const a = 1;\n' },
  });
});

describe('Git Data API over real git', () => {
  it('a commit created through the API clones with git and shows the same tree', async () => {
    const { app } = fx;
    const repo = 'data';
    const { data: ref } = await app.rest.git.getRef({ owner, repo, ref: 'heads/main' });
    const { data: base } = await app.rest.git.getCommit({ owner, repo, commit_sha: ref.object.sha });
    const { data: blob } = await app.rest.git.createBlob({
      owner,
      repo,
      content: Buffer.from([0, 1, 2, 255]).toString('base64'),
      encoding: 'base64',
    });
    const { data: tree } = await app.rest.git.createTree({
      owner,
      repo,
      base_tree: base.tree.sha,
      tree: [
        { path: 'src/b.ts', mode: '100644', type: 'blob', content: 'export const b = 2;\n' },
        { path: 'bin/run.sh', mode: '100755', type: 'blob', content: '#!/bin/sh\necho run\n' },
        { path: 'link', mode: '120000', type: 'blob', content: 'README.md' },
        { path: 'data.bin', mode: '100644', type: 'blob', sha: blob.sha },
        { path: 'src/a.ts', mode: '100644', type: 'blob', sha: null },
      ],
    });
    const { data: commit } = await app.rest.git.createCommit({
      owner,
      repo,
      message: 'Add b, a script, a link and binary data',
      tree: tree.sha,
      parents: [base.sha],
    });
    expect(commit.verification?.verified).toBe(true);
    expect(commit.verification?.reason).toBe('valid');
    await app.rest.git.updateRef({ owner, repo, ref: 'heads/main', sha: commit.sha });

    const token = fx.forge.tokenForInstallation();
    const dir = tempDir();
    await git(dir, ['clone', '--quiet', fx.forge.gitUrl(owner, repo, token), 'clone']);
    const clone = join(dir, 'clone');
    expect(await git(clone, ['rev-parse', 'HEAD'])).toBe(commit.sha);
    expect(await git(clone, ['cat-file', '-p', 'HEAD'])).toContain(`tree ${tree.sha}`);
    expect(await git(clone, ['rev-parse', 'HEAD^{tree}'])).toBe(tree.sha);
    expect(statSync(join(clone, 'bin/run.sh')).mode & 0o111).not.toBe(0);
    expect(await git(clone, ['ls-files', '-s', 'link'])).toMatch(/^120000 /);
    expect([...readFileSync(join(clone, 'data.bin'))]).toEqual([0, 1, 2, 255]);
    expect(await git(clone, ['ls-files', 'src'])).toBe('src/b.ts');

    const { data: recursive } = await app.rest.git.getTree({
      owner,
      repo,
      tree_sha: tree.sha,
      recursive: '1',
    });
    expect(recursive.tree.map((e) => e.path).sort()).toEqual([
      'README.md',
      'bin',
      'bin/run.sh',
      'data.bin',
      'link',
      'src',
      'src/b.ts',
    ]);
    const { data: got } = await app.rest.git.getBlob({ owner, repo, file_sha: blob.sha });
    expect(Buffer.from(got.content, 'base64')).toEqual(Buffer.from([0, 1, 2, 255]));
  });

  it('commits pushed with git are unsigned while API commits are verified', async () => {
    const { app, forge } = fx;
    const alice = forge.createUser('alice', { email: 'alice@example.com' });
    const dir = tempDir();
    await git(dir, ['clone', '--quiet', forge.gitUrl(owner, 'data', alice.token), 'c']);
    const clone = join(dir, 'c');
    writeFileSync(join(clone, 'pushed.txt'), 'pushed\n');
    await git(clone, ['add', '.']);
    await git(clone, ['commit', '--quiet', '-m', 'pushed by alice'], {
      name: 'Alice',
      email: 'alice@example.com',
    });
    await git(clone, ['push', '--quiet', 'origin', 'HEAD:main']);
    const sha = await git(clone, ['rev-parse', 'HEAD']);

    const { data } = await app.rest.repos.getCommit({ owner, repo: 'data', ref: 'main' });
    expect(data.sha).toBe(sha);
    expect(data.commit.verification).toMatchObject({ verified: false, reason: 'unsigned' });
    expect(data.author?.login).toBe('alice');
    expect(data.files?.map((f) => [f.filename, f.status, f.patch])).toEqual([
      ['pushed.txt', 'added', '@@ -0,0 +1 @@\n+pushed'],
    ]);
    const { data: parent } = await app.rest.repos.getCommit({
      owner,
      repo: 'data',
      ref: data.parents[0]!.sha,
    });
    expect(parent.commit.verification?.verified).toBe(true);
    const { data: list } = await app.rest.repos.listCommits({ owner, repo: 'data', per_page: 2 });
    expect(list.map((c) => c.sha)).toEqual([sha, parent.sha]);
  });

  it('refs follow GitHub semantics: create, fast-forward only unless forced, delete, matching', async () => {
    const { app } = fx;
    const repo = 'data';
    const { data: main } = await app.rest.git.getRef({ owner, repo, ref: 'heads/main' });
    const { data: parentCommit } = await app.rest.git.getCommit({ owner, repo, commit_sha: main.object.sha });
    const parent = parentCommit.parents[0]!.sha;
    await app.rest.git.createRef({ owner, repo, ref: 'refs/heads/feature/x', sha: parent });
    await expect(
      app.rest.git.createRef({ owner, repo, ref: 'refs/heads/feature/x', sha: parent }),
    ).rejects.toMatchObject({ status: 422 });
    await app.rest.git.updateRef({ owner, repo, ref: 'heads/feature/x', sha: main.object.sha });
    await expect(
      app.rest.git.updateRef({ owner, repo, ref: 'heads/feature/x', sha: parent }),
    ).rejects.toMatchObject({
      status: 422,
      message: expect.stringContaining('Update is not a fast forward'),
    });
    const { data: forced } = await app.rest.git.updateRef({
      owner,
      repo,
      ref: 'heads/feature/x',
      sha: parent,
      force: true,
    });
    expect(forced.object.sha).toBe(parent);
    const { data: matching } = await app.rest.git.listMatchingRefs({ owner, repo, ref: 'heads/feature' });
    expect(matching.map((r) => r.ref)).toEqual(['refs/heads/feature/x']);
    await app.rest.git.deleteRef({ owner, repo, ref: 'heads/feature/x' });
    await expect(app.rest.git.getRef({ owner, repo, ref: 'heads/feature/x' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('contents API reads, creates, updates and deletes files as verified commits', async () => {
    const { app } = fx;
    const repo = 'data';
    const guide = { owner, repo, path: 'docs/guide.md' };
    const { data: created } = await app.rest.repos.createOrUpdateFileContents({
      ...guide,
      message: 'Add guide',
      content: Buffer.from('# Guide\n').toString('base64'),
    });
    expect(created.commit.verification?.verified).toBe(true);
    const { data: file } = await app.rest.repos.getContent({ owner, repo, path: 'docs/guide.md' });
    if (Array.isArray(file) || file.type !== 'file') throw new Error('expected a file');
    expect(Buffer.from(file.content, 'base64').toString()).toBe('# Guide\n');
    await expect(
      app.rest.repos.createOrUpdateFileContents({
        ...guide,
        message: 'x',
        content: 'eA==',
        sha: 'f'.repeat(40),
      }),
    ).rejects.toMatchObject({ status: 409 });
    const v2 = Buffer.from('# Guide v2\n').toString('base64');
    await app.rest.repos.createOrUpdateFileContents({
      ...guide,
      message: 'Update guide',
      content: v2,
      sha: file.sha,
    });
    const { data: dir } = await app.rest.repos.getContent({ owner, repo, path: 'docs' });
    expect(Array.isArray(dir) && dir.map((e) => e.name)).toEqual(['guide.md']);
    const { data: root } = await app.rest.repos.getContent({ owner, repo, path: '' });
    expect(Array.isArray(root) && root.some((e) => e.name === 'docs' && e.type === 'dir')).toBe(true);
    const { sha } = (await app.rest.repos.getContent(guide)).data as { sha: string };
    await app.rest.repos.deleteFile({ ...guide, message: 'Remove guide', sha });
    await expect(app.rest.repos.getContent({ owner, repo, path: 'docs/guide.md' })).rejects.toMatchObject({
      status: 404,
    });
  });

  it('compare lists commits and files with patches', async () => {
    const { app } = fx;
    const { data: commits } = await app.rest.repos.listCommits({ owner, repo: 'data', per_page: 3 });
    const base = commits[2]!.sha;
    const { data } = await app.rest.repos.compareCommitsWithBasehead({
      owner,
      repo: 'data',
      basehead: `${base}...main`,
    });
    expect(data.status).toBe('ahead');
    expect(data.ahead_by).toBe(2);
    expect(data.commits.map((c) => c.sha)).toEqual([commits[1]!.sha, commits[0]!.sha]);
    expect(data.files?.length).toBeGreaterThan(0);
  });
});
