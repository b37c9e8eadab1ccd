import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { importSPKI, jwtVerify } from 'jose';
import { createGitHubClient } from './github.js';
import { toAutocodeError } from './errors.js';
import type { LoopbackServer } from './test-support/loopback.js';
import { json, startLoopback } from './test-support/loopback.js';

let server: LoopbackServer;
beforeEach(async () => {
  server = await startLoopback();
});
afterEach(() => server.close());

const repo = { id: 1, name: 'mvp', full_name: 'acme/mvp', default_branch: 'main' };

function tokenClient() {
  return createGitHubClient({
    auth: { kind: 'token', token: 'ghs_test' },
    baseUrl: server.url,
    writeSpacingMs: 0,
  });
}

describe('GitHub client (loopback HTTP, real Octokit)', () => {
  it('retries a 403 secondary rate limit once, after the retry-after wait', async () => {
    server.handle(
      (_r, res) =>
        json(
          res,
          403,
          {
            message:
              'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.',
          },
          { 'retry-after': '1' },
        ),
      (_r, res) => json(res, 200, repo),
    );
    const { data } = await tokenClient().rest.repos.get({ owner: 'acme', repo: 'mvp' });
    expect(data.full_name).toBe('acme/mvp');
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(950);
  });

  it('gives up on a secondary limit whose wait exceeds the allowed maximum', async () => {
    server.handle((_r, res) =>
      json(res, 403, { message: 'You have exceeded a secondary rate limit' }, { 'retry-after': '3600' }),
    );
    await expect(tokenClient().rest.repos.get({ owner: 'acme', repo: 'mvp' })).rejects.toMatchObject({
      status: 403,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('succeeds when a 502 is followed by a 200', async () => {
    server.handle(
      (_r, res) => json(res, 502, { message: 'Bad Gateway' }),
      (_r, res) => json(res, 200, repo),
    );
    const client = createGitHubClient({
      auth: { kind: 'token', token: 'ghs_test' },
      baseUrl: server.url,
      retryAfterBaseValueMs: 10,
    });
    const { data } = await client.rest.repos.get({ owner: 'acme', repo: 'mvp' });
    expect(data.name).toBe('mvp');
    expect(server.requests).toHaveLength(2);
  });

  it('bounds retries of a persistent 5xx', async () => {
    server.handle((_r, res) => json(res, 503, { message: 'Service Unavailable' }));
    const client = createGitHubClient({
      auth: { kind: 'token', token: 'ghs_test' },
      baseUrl: server.url,
      retryAfterBaseValueMs: 1,
      maxRetries: 2,
    });
    const err = await client.rest.repos.get({ owner: 'acme', repo: 'mvp' }).catch((e: unknown) => e);
    expect(server.requests).toHaveLength(3);
    expect(toAutocodeError(err).code).toBe('UPSTREAM_FAILED');
  });

  it('fails fast on 401 with a message that says what to fix', async () => {
    server.handle((_r, res) => json(res, 401, { message: 'Bad credentials' }));
    const err = await tokenClient()
      .rest.repos.get({ owner: 'acme', repo: 'mvp' })
      .catch((e: unknown) => e);
    expect(server.requests).toHaveLength(1);
    const mapped = toAutocodeError(err);
    expect(mapped.code).toBe('AUTH_FAILED');
    expect(mapped.message).toContain('Bad credentials');
    expect(mapped.hint).toMatch(/token|App/);
  });

  it('sends the token and honours a GHES-style baseUrl', async () => {
    server.handle((_r, res) => json(res, 200, repo));
    const client = createGitHubClient({
      auth: { kind: 'token', token: 'ghs_abc' },
      baseUrl: `${server.url}/api/v3/`,
    });
    await client.rest.repos.get({ owner: 'acme', repo: 'mvp' });
    expect(server.requests[0]!.url).toBe('/api/v3/repos/acme/mvp');
    expect(server.requests[0]!.headers.authorization).toBe('token ghs_abc');
  });

  it('rejects an empty token before any request', () => {
    expect(() => createGitHubClient({ auth: { kind: 'token', token: '' }, baseUrl: server.url })).toThrow(
      /No usable GitHub token/,
    );
  });
});

describe('GitHub App installation auth', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });

  it('mints an installation token from a real RS256 JWT and refreshes it when it nears expiry', async () => {
    const key = await importSPKI(publicKey, 'RS256');
    let clock = Date.now();
    let minted = 0;
    const issued: string[] = [];
    server.handle(async (req, res) => {
      if (req.method === 'POST' && req.url === '/app/installations/42/access_tokens') {
        const jwt = String(req.headers.authorization).replace(/^bearer /i, '');
        const { payload, protectedHeader } = await jwtVerify(jwt, key, { algorithms: ['RS256'] });
        expect(protectedHeader.alg).toBe('RS256');
        expect(String(payload.iss)).toBe('12345');
        minted++;
        const token = `ghs_installation_${minted}`;
        issued.push(token);
        // Expires 10 minutes after the (fake) clock: within the refresh margin once the clock moves 6 minutes.
        return json(res, 201, {
          token,
          expires_at: new Date(clock + 10 * 60_000).toISOString(),
          permissions: {},
        });
      }
      return json(res, 200, repo);
    });
    const client = createGitHubClient({
      auth: { kind: 'app', appId: 12345, privateKey, installationId: 42, refreshMarginMs: 5 * 60_000 },
      baseUrl: server.url,
      now: () => clock,
    });
    await client.rest.repos.get({ owner: 'acme', repo: 'mvp' });
    await client.rest.repos.get({ owner: 'acme', repo: 'mvp' });
    expect(minted).toBe(1);
    clock += 6 * 60_000; // now 4 minutes before expiry: inside the 5-minute margin
    await client.rest.repos.get({ owner: 'acme', repo: 'mvp' });
    expect(minted).toBe(2);
    const repoCalls = server.requests.filter((r) => r.url === '/repos/acme/mvp');
    expect(repoCalls.map((r) => r.headers.authorization)).toEqual([
      `token ${issued[0]}`,
      `token ${issued[0]}`,
      `token ${issued[1]}`,
    ]);
  });

  it('accepts a private key whose newlines were escaped, and rejects one that is not a PEM', () => {
    expect(() =>
      createGitHubClient({
        auth: { kind: 'app', appId: 1, privateKey: privateKey.replace(/\n/g, '\\n'), installationId: 1 },
        baseUrl: server.url,
      }),
    ).not.toThrow();
    expect(() =>
      createGitHubClient({
        auth: { kind: 'app', appId: 1, privateKey: 'not a key', installationId: 1 },
        baseUrl: server.url,
      }),
    ).toThrow(/not a PEM private key/);
  });
});

describe('write pacing', () => {
  it('spaces notifying writes (issues, comments) by the configured interval, not a process-global 3 s', async () => {
    server.handle((_r, res) => json(res, 201, { id: 1, number: 1, title: 't' }));
    const client = createGitHubClient({
      auth: { kind: 'token', token: 'ghs_test' },
      baseUrl: server.url,
      writeSpacingMs: 0,
    });
    const started = Date.now();
    for (let i = 0; i < 3; i++)
      await client.rest.issues.create({ owner: 'acme', repo: 'mvp', title: `t${i}` });
    expect(Date.now() - started).toBeLessThan(1500);
    expect(server.requests).toHaveLength(3);
  });

  it('keeps GitHub-friendly spacing by default', async () => {
    server.handle((_r, res) => json(res, 201, { id: 1, number: 1, title: 't' }));
    const client = createGitHubClient({ auth: { kind: 'token', token: 'ghs_test' }, baseUrl: server.url });
    await client.rest.issues.create({ owner: 'acme', repo: 'mvp', title: 'a' });
    await client.rest.issues.create({ owner: 'acme', repo: 'mvp', title: 'b' });
    expect(server.requests[1]!.at - server.requests[0]!.at).toBeGreaterThanOrEqual(2900);
  });
});
