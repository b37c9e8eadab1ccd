import { describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { SignJWT } from 'jose';
import { createPrivateKey } from 'node:crypto';
import { createGitHubClient } from '@autocode/toolkit';
import { useForgeFixture } from './test-support.js';

const owner = 'acme';

const fx = useForgeFixture(
  async () => {
    await fx.forge.createRepo(owner, 'foundation', { files: { 'README.md': '# foundation\n' } });
    await fx.forge.createRepo(owner, 'open', { files: { 'README.md': '# open\n' }, private: false });
    await fx.forge.createRepo('elsewhere', 'secret', { files: { 'x.txt': 'x\n' } });
  },
  { tokenTtlMs: 400 },
);

async function appJwt(privateKey: string, appId: number, lifetimeS = 540): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256' })
    .setIssuer(String(appId))
    .setIssuedAt(now - 30)
    .setExpirationTime(now + lifetimeS)
    .sign(createPrivateKey(privateKey));
}

describe('App and installation authentication', () => {
  it('mints installation tokens only for a valid RS256 App JWT', async () => {
    const { forge, client } = fx;
    const jwt = await appJwt(forge.app.privateKey, forge.app.appId);
    const asApp = client(jwt);
    const { data: app } = await asApp.rest.apps.getAuthenticated();
    expect(app?.id).toBe(forge.app.appId);
    const { data: installations } = await asApp.rest.apps.listInstallations();
    expect(installations.map((i) => i.account && 'login' in i.account && i.account.login)).toEqual([owner]);
    const { data: token } = await asApp.rest.apps.createInstallationAccessToken({
      installation_id: forge.app.installationId,
    });
    expect(token.token).toMatch(/^ghs_/);
    expect(Date.parse(token.expires_at) - Date.now()).toBeLessThanOrEqual(1400);
    await expect(client(token.token).rest.apps.getAuthenticated()).rejects.toMatchObject({ status: 401 });
  });

  it('refuses a JWT signed by the wrong key, and one that lives longer than ten minutes', async () => {
    const { forge } = fx;
    const wrong = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    const impostor = createGitHubClient({
      auth: {
        kind: 'app',
        appId: forge.app.appId,
        privateKey: wrong.privateKey,
        installationId: forge.app.installationId,
      },
      baseUrl: forge.apiUrl,
      maxRetries: 0,
    });
    await expect(impostor.rest.repos.get({ owner, repo: 'foundation' })).rejects.toMatchObject({
      status: 401,
    });
    const long = await appJwt(forge.app.privateKey, forge.app.appId, 3600);
    await expect(fx.client(long).rest.apps.getAuthenticated()).rejects.toMatchObject({ status: 401 });
  });

  it('an expired installation token is refused with 401 Bad credentials; the toolkit client re-mints', async () => {
    const { forge, client, toolkitApp } = fx;
    const token = forge.tokenForInstallation();
    const repo = { owner, repo: 'foundation' };
    await client(token).rest.repos.get(repo);
    await sleep(1500);
    await expect(client(token).rest.repos.get(repo)).rejects.toMatchObject({
      status: 401,
      response: { data: { message: 'Bad credentials' } },
    });
    const { data } = await toolkitApp.rest.repos.get(repo);
    expect(data.default_branch).toBe('main');
  });

  it('DELETE /installation/token revokes the token', async () => {
    const token = fx.forge.tokenForInstallation(undefined, { ttlMs: 60_000 });
    const c = fx.client(token);
    const { data } = await c.rest.apps.listReposAccessibleToInstallation();
    expect(data.repositories.map((r) => r.name).sort()).toEqual(['foundation', 'open']);
    await c.rest.apps.revokeInstallationAccessToken();
    await expect(c.rest.repos.get({ owner, repo: 'foundation' })).rejects.toMatchObject({ status: 401 });
  });
});

describe('repository access', () => {
  it('answers 404 for repositories the installation or token cannot see, 403 for missing permissions', async () => {
    const { forge, client } = fx;
    const token = forge.tokenForInstallation(undefined, { ttlMs: 60_000 });
    await expect(client(token).rest.repos.get({ owner: 'elsewhere', repo: 'secret' })).rejects.toMatchObject({
      status: 404,
    });
    const narrowed = client(forge.tokenForInstallation(undefined, { ttlMs: 60_000, repositories: ['open'] }));
    await expect(narrowed.rest.repos.get({ owner, repo: 'foundation' })).rejects.toMatchObject({
      status: 404,
    });
    const readOnly = client(
      forge.tokenForInstallation(undefined, {
        ttlMs: 60_000,
        permissions: { contents: 'read', metadata: 'read' },
      }),
    );
    const { data: repo } = await readOnly.rest.repos.get({ owner, repo: 'foundation' });
    expect(repo.permissions?.push).toBe(false);
    await expect(
      readOnly.rest.git.createRef({ owner, repo: 'foundation', ref: 'refs/heads/x', sha: 'a'.repeat(40) }),
    ).rejects.toMatchObject({
      status: 403,
      response: { data: { message: 'Resource not accessible by integration' } },
    });
  });

  it('serves public repositories anonymously and hides private ones', async () => {
    const res = await fetch(`${fx.forge.apiUrl}/repos/${owner}/open`);
    expect(res.status).toBe(200);
    expect(Number(res.headers.get('x-ratelimit-limit'))).toBe(60);
    expect((await fetch(`${fx.forge.apiUrl}/repos/${owner}/foundation`)).status).toBe(404);
    const write = await fetch(`${fx.forge.apiUrl}/repos/${owner}/open/issues`, {
      method: 'POST',
      body: '{"title":"x"}',
    });
    expect(write.status).toBe(401);
  });

  it('unknown routes and bad bodies answer in GitHub error shapes', async () => {
    const token = fx.forge.tokenForInstallation(undefined, { ttlMs: 60_000 });
    const headers = { authorization: `token ${token}`, 'content-type': 'application/json' };
    const unknown = await fetch(`${fx.forge.apiUrl}/repos/${owner}/foundation/nope`, { headers });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toMatchObject({
      message: 'Not Found',
      documentation_url: expect.stringContaining('docs.github.com'),
    });
    const broken = await fetch(`${fx.forge.apiUrl}/repos/${owner}/foundation/issues`, {
      method: 'POST',
      headers,
      body: '{oops',
    });
    expect(broken.status).toBe(400);
    const invalid = await fetch(`${fx.forge.apiUrl}/repos/${owner}/foundation/git/refs`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ ref: 'heads/x', sha: 'a'.repeat(40) }),
    });
    expect(invalid.status).toBe(422);
    const missing = await fetch(`${fx.forge.apiUrl}/repos/${owner}/foundation/labels`, {
      method: 'POST',
      headers,
      body: JSON.stringify({ color: 'fff000' }),
    });
    expect(missing.status).toBe(422);
    expect(((await missing.json()) as { message: string }).message).toContain('"name" wasn\'t supplied');
    const badCreds = await fetch(`${fx.forge.apiUrl}/repos/${owner}/foundation`, {
      headers: { authorization: 'token ghs_nope' },
    });
    expect(badCreds.status).toBe(401);
    expect(await badCreds.json()).toMatchObject({ message: 'Bad credentials' });
  });

  it('reports rate limits in headers and GET /rate_limit', async () => {
    const c = fx.client(fx.forge.tokenForInstallation(undefined, { ttlMs: 60_000 }));
    const { data, headers } = await c.rest.rateLimit.get();
    expect(data.resources.core.limit).toBe(5000);
    expect(headers['x-ratelimit-remaining']).toBeDefined();
  });
});
