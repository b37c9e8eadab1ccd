import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { startDevIssuer } from '../src/dev/oidc-issuer.js';
import { OWNER, REPO, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => h?.close());

const command = { repo: REPO, command: 'codegen', prompt: 'add a README' };
const post = (token?: string) => h.request('POST', '/v1/commands', { token, json: command });

describe('user authentication', () => {
  it('accepts a valid member token', async () => {
    expect((await post(await h.user('member'))).status).toBe(202);
  });

  it.each([
    ['missing', async () => undefined],
    ['garbage', async () => 'not-a-jwt'],
    ['expired', async () => h.issuer.mintUser('admin', { expiresIn: -3600 })],
    ['wrong audience', async () => h.issuer.mintUser('admin', { audience: 'someone-else' })],
    ['alg: none', async () => h.issuer.mintUser('admin', { algNone: true })],
    ['wrong issuer', async () => h.issuer.mintUser('admin', { issuer: 'https://evil.example' })],
    [
      'signed by a key the JWKS does not publish',
      async () => h.issuer.mintUser('admin', { foreignKey: true }),
    ],
  ])('rejects a %s token with 401', async (_name, token) => {
    const res = await post(await token());
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: { code: 'AUTH_FAILED' } });
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
  });

  it('rejects a token from another issuer whose keys are valid elsewhere', async () => {
    const other = await startDevIssuer();
    try {
      expect((await post(await other.mintUser('admin'))).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('rejects a token without an autocode role with 403', async () => {
    const token = await h.issuer.mintUser({ sub: 'nobody', roles: ['viewer'] });
    expect((await post(token)).status).toBe(403);
  });

  it.each([
    ['POST', '/v1/killswitch', { reason: 'x' }],
    ['GET', '/v1/billing/proposals', undefined],
    ['POST', '/v1/billing/proposals', { setting: 'runner_max', value: 1, reason: 'x' }],
    ['GET', '/v1/audit', undefined],
    ['POST', '/v1/audit/checkpoint', undefined],
  ])('a member gets 403 on admin route %s %s', async (method, path, json) => {
    const res = await h.request(method, path, { token: await h.user('member'), json });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
  });

  it('an approver is not an admin either', async () => {
    const res = await h.request('POST', '/v1/killswitch', {
      token: await h.user('approver'),
      json: { reason: 'x' },
    });
    expect(res.status).toBe(403);
  });
});

describe('workflow authentication', () => {
  it('accepts an Actions token from an allowed owner', async () => {
    const token = await h.github.actionsToken(REPO);
    const res = await h.request('GET', '/v1/killswitch', { token });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ active: false });
  });

  it('refuses an Actions token from an owner outside the allow-list with 403', async () => {
    const token = await h.github.actionsToken('mallory/repo');
    const res = await h.request('POST', '/v1/audit/events', {
      token,
      json: { action: 'x', resource: 'y', result: 'success' },
    });
    expect(res.status).toBe(403);
  });

  it('refuses an Actions token minted for another audience', async () => {
    const token = await h.github.actionsToken(REPO, 'sts.amazonaws.com');
    const res = await h.request('POST', '/v1/audit/events', {
      token,
      json: { action: 'x', resource: 'y', result: 'success' },
    });
    expect(res.status).toBe(401);
  });

  it('refuses a user token on a workflow route', async () => {
    const res = await h.request('POST', '/v1/jobs/abc/events', {
      token: await h.user('admin'),
      json: { type: 'running', repository: REPO },
    });
    expect(res.status).toBe(401);
  });

  it('refuses a workflow token on a user route', async () => {
    const token = await h.github.actionsToken(`${OWNER}/foundation`);
    expect((await post(token)).status).toBe(401);
  });
});

describe('public and internal routes', () => {
  it('/health is public', async () => {
    expect((await h.request('GET', '/health')).body).toEqual({ ok: true });
  });

  it('/metrics needs the internal token', async () => {
    expect((await h.request('GET', '/metrics')).status).toBe(401);
    expect((await h.request('GET', '/metrics', { token: 'wrong' })).status).toBe(401);
    const res = await h.request('GET', '/metrics', { token: 'metrics-token' });
    expect(res.status).toBe(200);
    expect(res.text).toMatch(/^autocode_killswitch_active 0$/m);
    expect(res.text).toMatch(/^autocode_jobs\{state="/m);
    expect(res.text).toMatch(/# TYPE autocode_dispatch_latency_seconds histogram/);
  });

  it('unknown routes are 404 with a stable code', async () => {
    const res = await h.request('GET', '/v1/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });
});
