import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { EdgeClient } from './edge.js';
import type { LoopbackServer } from './test-support/loopback.js';
import { json, startLoopback } from './test-support/loopback.js';

let server: LoopbackServer;
const audiences: string[] = [];
beforeEach(async () => {
  server = await startLoopback();
  audiences.length = 0;
});
afterEach(() => server.close());

function client(extra: Partial<ConstructorParameters<typeof EdgeClient>[0]> = {}) {
  return new EdgeClient({
    baseUrl: server.url,
    getToken: async (aud) => {
      audiences.push(aud);
      return 'oidc.jwt.token';
    },
    backoffMs: 1,
    ...extra,
  });
}

describe('EdgeClient', () => {
  it('posts a job event with the OIDC token for the edge audience', async () => {
    server.handle((_r, res) => json(res, 202, { ok: true }));
    await client().postJobEvent('job 1', { type: 'running', repository: 'acme/mvp' });
    const req = server.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.url).toBe('/v1/jobs/job%201/events');
    expect(req.headers.authorization).toBe('Bearer oidc.jwt.token');
    expect(JSON.parse(req.body)).toEqual({ type: 'running', repository: 'acme/mvp' });
    expect(audiences).toEqual(['autocode-edge']);
  });

  it('retries a 502 and honours retry-after on a 429', async () => {
    server.handle(
      (_r, res) => json(res, 502, { error: { code: 'UPSTREAM', message: 'bad gateway' } }),
      (_r, res) =>
        json(res, 429, { error: { code: 'RATE_LIMITED', message: 'slow down' } }, { 'retry-after': '1' }),
      (_r, res) => json(res, 200, { appended: 1 }),
    );
    await expect(
      client().postAuditEvent({ action: 'sync', resource: 'acme/mvp', result: 'success' }),
    ).resolves.toEqual({
      appended: 1,
    });
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]!.at - server.requests[1]!.at).toBeGreaterThanOrEqual(950);
  });

  it('does not retry a 4xx and reports the edge error message', async () => {
    server.handle((_r, res) =>
      json(res, 400, { error: { code: 'INVALID_INPUT', message: 'type is required' } }),
    );
    await expect(client().postJobEvent('j', { type: 'running', repository: 'a/b' })).rejects.toThrow(
      /400: type is required/,
    );
    expect(server.requests).toHaveLength(1);
  });

  it('passes when the kill switch is inactive', async () => {
    server.handle((_r, res) => json(res, 200, { active: false }));
    await expect(client().assertNotKilled()).resolves.toBeUndefined();
  });

  it('stops when the kill switch is active, quoting the reason', async () => {
    server.handle((_r, res) => json(res, 200, { active: true, reason: 'security_incident' }));
    await expect(client().assertNotKilled()).rejects.toMatchObject({
      code: 'KILL_SWITCH_ACTIVE',
      message: expect.stringContaining('security_incident'),
    });
  });

  it('fails closed when the edge cannot be reached', async () => {
    const dead = new EdgeClient({
      baseUrl: 'http://127.0.0.1:9',
      getToken: async () => 't',
      retries: 1,
      backoffMs: 1,
    });
    await expect(dead.assertNotKilled()).rejects.toMatchObject({ code: 'KILL_SWITCH_ACTIVE' });
  });

  it('fails closed on a garbled kill-switch answer and open only when configured', async () => {
    server.handle((_r, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{not json');
    });
    await expect(client({ retries: 0 }).assertNotKilled()).rejects.toMatchObject({
      code: 'KILL_SWITCH_ACTIVE',
    });
    await expect(client({ retries: 0, killSwitchFailOpen: true }).assertNotKilled()).resolves.toBeUndefined();
  });

  it('rejects a base URL that is not a URL', () => {
    expect(() => new EdgeClient({ baseUrl: 'edge', getToken: async () => 't' })).toThrow(/not a URL/);
  });
});
