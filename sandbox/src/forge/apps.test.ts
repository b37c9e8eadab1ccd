import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { createGitHubClient } from '@autocode/toolkit';
import type { GitHubClient } from '@autocode/toolkit';
import { startForge } from './index.js';
import type { ForgeApp } from './index.js';
import type { ForgeFixture } from './test-support.js';
import { startForgeFixture, tempDir } from './test-support.js';

let fx: ForgeFixture;
let publisher: ForgeApp;
const owner = 'acme';

const appClient = (app: ForgeApp): GitHubClient =>
  createGitHubClient({
    auth: { kind: 'app', appId: app.appId, privateKey: app.privateKey, installationId: app.installationId },
    baseUrl: fx.forge.apiUrl,
    writeSpacingMs: 0,
  });

beforeAll(async () => {
  fx = await startForgeFixture({ org: owner });
  await fx.forge.createRepo(owner, 'web', { files: { 'README.md': '# web\n' } });
  publisher = fx.forge.createApp('autocode-publisher');
});
afterEach(() => fx.openapi.assertClean());
afterAll(async () => {
  fx.openapi.stop();
  await fx.forge.stop();
});

describe('a second App on the same organization', () => {
  it('authenticates with its own key and sees only its own installation', async () => {
    const client = appClient(publisher);
    const { data: me } = await client.rest.apps.getAuthenticated();
    expect(me?.slug).toBe('autocode-publisher');
    const { data: installs } = await client.rest.apps.listInstallations();
    expect(installs.map((i) => i.id)).toEqual([publisher.installationId]);
    expect(installs[0]?.app_slug).toBe('autocode-publisher');
    await expect(
      client.rest.apps.createInstallationAccessToken({ installation_id: fx.forge.app.installationId }),
    ).rejects.toMatchObject({ status: 404 });
  });

  it('authors what it creates, so the first App can review it (and the author cannot)', async () => {
    const author = appClient(publisher);
    const { data: main } = await author.rest.git.getRef({ owner, repo: 'web', ref: 'heads/main' });
    await author.rest.git.createRef({ owner, repo: 'web', ref: 'refs/heads/change', sha: main.object.sha });
    await author.rest.repos.createOrUpdateFileContents({
      owner,
      repo: 'web',
      path: 'CHANGE.md',
      message: 'change',
      content: Buffer.from('change\n').toString('base64'),
      branch: 'change',
    });
    const { data: pr } = await author.rest.pulls.create({
      owner,
      repo: 'web',
      head: 'change',
      base: 'main',
      title: 'A change',
    });
    expect(pr.user?.login).toBe('autocode-publisher[bot]');
    await expect(
      author.rest.pulls.createReview({ owner, repo: 'web', pull_number: pr.number, event: 'APPROVE' }),
    ).rejects.toMatchObject({ status: 422 });
    const { data: review } = await fx.app.rest.pulls.createReview({
      owner,
      repo: 'web',
      pull_number: pr.number,
      event: 'APPROVE',
    });
    expect(review.user?.login).toBe('autocode-sandbox[bot]');
  });

  it('is registered once and survives a restart on kept state', async () => {
    const dir = tempDir();
    const first = await startForge({ stateDir: dir, org: owner });
    const a = first.createApp('autocode-publisher');
    expect(first.createApp('autocode-publisher')).toEqual(a);
    await first.stop();
    const again = await startForge({ stateDir: dir, org: owner });
    try {
      expect(again.createApp('autocode-publisher')).toEqual(a);
      expect(again.app.appId).not.toBe(a.appId);
    } finally {
      await again.stop();
    }
  });
});
