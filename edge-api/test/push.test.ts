/**
 * Web Push end to end: the Worker in workerd sends to a push service stand-in (the test answers the Worker's
 * outbound fetch for https://push.example), which checks the VAPID authorization (RFC 8292: ES256 JWT for the
 * push service's origin, signed by the key in `k=`) and decrypts the aes128gcm body (RFC 8291) with the
 * subscription's private key and auth secret through `http_ece`, as a browser would. A subscription the push
 * service reports gone (410) is deleted.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createECDH, randomBytes } from 'node:crypto';
import type { ECDH } from 'node:crypto';
import { decrypt } from 'http_ece';
import { importJWK, jwtVerify } from 'jose';
import { fetch as miniflareFetch, Response } from 'miniflare';
import type { Request } from 'miniflare';
import { vapidKeys } from '../../sandbox/src/stack/secrets.js';
import { eventually, REPO, startHarness } from './harness.js';
import type { Harness } from './harness.js';

interface Device {
  endpoint: string;
  ecdh: ECDH;
  auth: Buffer;
  /** What this device received, decrypted. */
  got: Record<string, unknown>[];
  status: number;
}

const vapid = vapidKeys();
const devices = new Map<string, Device>();
const problems: string[] = [];
let h: Harness;

function device(name: string, status = 201): Device {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const d = { endpoint: `https://push.example/send/${name}`, ecdh, auth: randomBytes(16), got: [], status };
  devices.set(d.endpoint, d);
  return d;
}

/** The push service: authorization first (as real services do), then the body only the device can open. */
async function pushService(request: Request): Promise<Response> {
  const d = devices.get(request.url);
  if (!d) return new Response('no such subscription', { status: 404 });
  const auth = /^vapid t=([^,]+), k=([\w-]+)$/.exec(request.headers.get('authorization') ?? '');
  try {
    if (!auth || auth[2] !== vapid.publicKey) throw new Error(`bad authorization ${String(auth)}`);
    const point = Buffer.from(auth[2], 'base64url');
    const key = await importJWK(
      {
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33).toString('base64url'),
      },
      'ES256',
    );
    const { payload } = await jwtVerify(auth[1]!, key, {
      audience: 'https://push.example',
      algorithms: ['ES256'],
    });
    if (payload.sub !== 'mailto:ops@example.com') throw new Error(`sub ${String(payload.sub)}`);
    if ((payload.exp ?? 0) - Date.now() / 1000 > 24 * 3600) throw new Error('exp beyond 24 h');
    if (request.headers.get('content-encoding') !== 'aes128gcm') throw new Error('not aes128gcm');
    if (Number(request.headers.get('ttl')) <= 0) throw new Error('no TTL');
    const body = Buffer.from(await request.arrayBuffer());
    const plain = decrypt(body, { version: 'aes128gcm', privateKey: d.ecdh, authSecret: d.auth });
    d.got.push(JSON.parse(plain.toString('utf8')) as Record<string, unknown>);
  } catch (err) {
    problems.push((err as Error).message);
    return new Response('rejected', { status: 400 });
  }
  return new Response(null, { status: d.status });
}

async function subscribe(user: 'member' | 'approver' | 'admin', d: Device): Promise<void> {
  const res = await h.request('POST', '/v1/push/subscriptions', {
    token: await h.user(user),
    json: {
      endpoint: d.endpoint,
      keys: { p256dh: d.ecdh.getPublicKey().toString('base64url'), auth: d.auth.toString('base64url') },
    },
  });
  expect(res.status).toBe(201);
}

async function jobEvent(jobId: string, event: Record<string, unknown>): Promise<void> {
  const res = await h.request('POST', `/v1/jobs/${jobId}/events`, {
    token: await h.github.actionsToken(REPO),
    json: { repository: REPO, ...event },
  });
  expect(res.status).toBe(200);
}

async function command(): Promise<string> {
  const res = await h.request('POST', '/v1/commands', {
    token: await h.user('member'),
    json: { repo: REPO, command: 'codegen', prompt: 'add a farewell' },
  });
  expect(res.status).toBe(202);
  return String(res.body.job_id);
}

beforeAll(async () => {
  h = await startHarness(
    {
      VAPID_PUBLIC_KEY: vapid.publicKey,
      VAPID_PRIVATE_KEY: String(vapid.privateJwk.d),
      VAPID_SUBJECT: 'mailto:ops@example.com',
    },
    {
      outboundService: (request: Request) =>
        new URL(request.url).hostname === 'push.example' ? pushService(request) : miniflareFetch(request),
    },
  );
});
afterAll(() => h.close());

describe('Web Push', () => {
  const member = device('member');
  const stale = device('member-old-phone', 410);
  const approver = device('approver');
  const admin = device('admin');

  it('PR ready to the requester, approval requested to approvers, gone subscriptions removed', async () => {
    await subscribe('member', member);
    await subscribe('member', stale);
    await subscribe('approver', approver);
    await subscribe('admin', admin);
    const job = await command();
    await jobEvent(job, { type: 'pr_opened', pr_number: 7, pr_url: 'https://github.test/pr/7' });
    await eventually(() => member.got.length === 1 && approver.got.length === 1 && admin.got.length === 1);
    expect(problems).toEqual([]);
    expect(member.got[0]).toEqual({ kind: 'pr.opened', repo: REPO, number: 7, job_id: job });
    expect(approver.got[0]).toEqual({ kind: 'approval.requested', repo: REPO, number: 7, job_id: job });
    expect(admin.got[0]).toMatchObject({ kind: 'approval.requested' });
    await eventually(async () => {
      const row = await h.db
        .prepare('SELECT COUNT(*) AS n FROM push_subscriptions WHERE endpoint = ?')
        .bind(stale.endpoint)
        .first<{ n: number }>();
      return row?.n === 0;
    });
    // A repeated callback changes nothing, so nothing is sent twice.
    await jobEvent(job, { type: 'pr_opened', pr_number: 7 });
    await new Promise((r) => setTimeout(r, 300));
    expect(member.got).toHaveLength(1);
  });

  it('job failed to the requester only, with the reason', async () => {
    const job = await command();
    await jobEvent(job, { type: 'failed', message: 'no LLM provider configured' });
    await eventually(() => member.got.length === 2);
    expect(member.got[1]).toEqual({
      kind: 'job.failed',
      job_id: job,
      repo: REPO,
      message: 'no LLM provider configured',
    });
    expect(approver.got).toHaveLength(1);
    // Counted for /metrics once each send settles: 4 delivered, 1 subscription gone.
    await eventually(async () => {
      const metrics = (await h.request('GET', '/metrics', { token: 'metrics-token' })).text;
      return (
        metrics.includes('autocode_push_deliveries_total{outcome="gone"} 1') &&
        metrics.includes('autocode_push_deliveries_total{outcome="sent"} 4')
      );
    });
  });
});
