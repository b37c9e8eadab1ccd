import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { readFileSync } from 'node:fs';
import { createGitHubClient } from '@autocode/toolkit';
import { startForge } from './index.js';
import { git, tempDir, useForgeFixture } from './test-support.js';

const owner = 'acme';
const repo = 'foundation';
const fx = useForgeFixture(async () => {
  await fx.forge.createRepo(owner, repo, { files: { 'README.md': '# foundation\n' } });
});

const statuses = (route: string) =>
  fx.forge.requests.filter((r) => `${r.method} ${r.route}` === route).map((r) => r.status);

describe('injected faults through the toolkit client', () => {
  it('a 502 then 200 succeeds through the retrying client', async () => {
    fx.forge.clearRequests();
    fx.forge.faults.add({ route: 'GET /repos/{owner}/{repo}', status: 502, times: 1 });
    const { data } = await fx.toolkitApp.rest.repos.get({ owner, repo });
    expect(data.name).toBe(repo);
    expect(statuses('GET /repos/{owner}/{repo}')).toEqual([502, 200]);
  });

  it('a secondary rate limit (403 + retry-after) is honoured and the write lands once', async () => {
    fx.forge.clearRequests();
    const fault = fx.forge.faults.add({
      method: 'POST',
      route: '/repos/{owner}/{repo}/issues',
      status: 403,
      retryAfter: 2,
    });
    const waits: number[] = [];
    const client = createGitHubClient({
      auth: { kind: 'token', token: fx.forge.tokenForInstallation() },
      baseUrl: fx.forge.apiUrl,
      writeSpacingMs: 0,
      retryAfterBaseValueMs: 5,
      log: {
        debug: () => {},
        info: () => {},
        warning: (m: string) => void waits.push(Number(/in (\d+)s/.exec(m)?.[1])),
        error: () => {},
      },
    });
    const { data } = await client.rest.issues.create({ owner, repo, title: 'after the limit' });
    expect(data.title).toBe('after the limit');
    expect(fault.hits).toBe(1);
    expect(waits).toEqual([2]);
    expect(statuses('POST /repos/{owner}/{repo}/issues')).toEqual([403, 201]);
  });

  it('429 carries retry-after, 422 and 500 surface as errors, latency delays the answer', async () => {
    const { forge } = fx;
    const token = forge.tokenForInstallation();
    forge.faults.add({ route: 'GET /repos/{owner}/{repo}/pulls', status: 429, retryAfter: 7 });
    const limited = await fetch(`${forge.apiUrl}/repos/${owner}/${repo}/pulls`, {
      headers: { authorization: `token ${token}` },
    });
    expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '7']);
    expect(((await limited.json()) as { message: string }).message).toMatch(/secondary rate limit/);
    forge.faults.add({
      route: 'POST /repos/{owner}/{repo}/git/trees',
      status: 422,
      body: { message: 'Validation Failed', errors: [], documentation_url: 'x' },
    });
    await expect(fx.app.rest.git.createTree({ owner, repo, tree: [] })).rejects.toMatchObject({
      status: 422,
    });
    forge.faults.add({ route: 'GET /repos/{owner}/{repo}/labels', latencyMs: 250 });
    const started = Date.now();
    await fx.app.rest.issues.listLabelsForRepo({ owner, repo });
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });

  it('faults reach git smart HTTP too', async () => {
    fx.forge.faults.add({ route: 'GET /{owner}/{repo}.git/info/refs', status: 503 });
    const dir = tempDir();
    await expect(
      git(dir, ['clone', '--quiet', fx.forge.gitUrl(owner, repo, fx.forge.tokenForInstallation()), 'c']),
    ).rejects.toThrow(/503|error/i);
  });
});

describe('accounting', () => {
  it('counts requests per route; a converged rerun makes zero writes', async () => {
    const { forge, app } = fx;
    const ensureLabel = async () => {
      const { data } = await app.rest.issues.listLabelsForRepo({ owner, repo });
      if (!data.some((l) => l.name === 'autocode'))
        await app.rest.issues.createLabel({ owner, repo, name: 'autocode' });
    };
    await ensureLabel();
    forge.clearRequests();
    await ensureLabel();
    expect(forge.countsByRoute({ writesOnly: true })).toEqual({});
    expect(forge.countsByRoute({ kind: 'api' })).toEqual({ 'GET /repos/{owner}/{repo}/labels': 1 });
    expect(forge.requests[0]).toMatchObject({
      method: 'GET',
      status: 200,
      identity: expect.stringMatching(/^installation:/),
    });
  });

  it('the content-creation limit answers 403 secondary rate limit with retry-after, per minute', async () => {
    let now = Date.parse('2026-01-01T00:00:00Z');
    const limited = await startForge({ contentCreationLimit: { perMinute: 3 }, now: () => new Date(now) });
    try {
      await limited.createRepo(owner, repo, { files: { 'a.txt': 'a' } });
      const token = limited.tokenForInstallation();
      const post = () =>
        fetch(`${limited.apiUrl}/repos/${owner}/${repo}/issues`, {
          method: 'POST',
          headers: { authorization: `token ${token}` },
          body: '{"title":"t"}',
        });
      expect([(await post()).status, (await post()).status, (await post()).status]).toEqual([201, 201, 201]);
      now += 20_000;
      const blocked = await post();
      expect(blocked.status).toBe(403);
      expect(blocked.headers.get('retry-after')).toBe('40');
      now += 41_000;
      expect((await post()).status).toBe(201);
    } finally {
      await limited.stop();
    }
  });
});

describe('persistence', () => {
  it('a restart on the same state dir keeps repositories, records and tokens', async () => {
    const stateDir = tempDir('forge-state-');
    const first = await startForge({ stateDir });
    await first.createRepo(owner, 'kept', { files: { 'x.txt': 'kept\n' } });
    const token = first.tokenForInstallation();
    const alice = first.createUser('alice');
    await fetch(`${first.apiUrl}/repos/${owner}/kept/issues`, {
      method: 'POST',
      headers: { authorization: `token ${alice.token}` },
      body: '{"title":"persisted"}',
    });
    const appId = first.app.appId;
    await first.stop();

    const second = await startForge({ stateDir });
    try {
      expect(second.app.appId).toBe(appId);
      const issue = await fetch(`${second.apiUrl}/repos/${owner}/kept/issues/1`, {
        headers: { authorization: `token ${token}` },
      });
      expect(((await issue.json()) as { title: string }).title).toBe('persisted');
      const dir = tempDir();
      await git(dir, ['clone', '--quiet', second.gitUrl(owner, 'kept', alice.token), 'c']);
      expect(readFileSync(join(dir, 'c', 'x.txt'), 'utf8')).toBe('kept\n');
    } finally {
      await second.stop();
    }
  });
});
