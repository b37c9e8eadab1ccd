import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { eventually, OWNER, REPO, startHarness } from './harness.js';
import type { Harness } from './harness.js';

let h: Harness;
let member: string;
beforeAll(async () => {
  h = await startHarness({ RATE_LIMIT_DEVICE_PER_MINUTE: '3' });
  member = await h.user('member');
});
afterAll(async () => h?.close());
beforeEach(() => h.github.faults.clear());

const count = async (sql: string, ...params: unknown[]) =>
  ((
    await h.db
      .prepare(sql)
      .bind(...params)
      .first<{ n: number }>()
  )?.n ?? -1) as number;
const dispatchesOf = (jobId: unknown) => h.github.dispatches.filter((d) => d.client_payload.job_id === jobId);

describe('POST /v1/commands', () => {
  it('persists the job, answers 202 and dispatches once with a small client_payload', async () => {
    const res = await h.request('POST', '/v1/commands', {
      token: member,
      json: { repo: REPO, command: 'codegen', prompt: 'add tests', args: { dry_run: true } },
    });
    expect(res.status).toBe(202);
    const jobId = res.body.job_id;
    await eventually(() => dispatchesOf(jobId).length === 1);
    const [d] = dispatchesOf(jobId);
    expect(d?.event_type).toBe('autocode.codegen');
    expect(Object.keys(d?.client_payload ?? {}).length).toBeLessThanOrEqual(10);
    expect(d?.client_payload).toMatchObject({ repo: REPO, prompt: 'add tests', requested_by: 'Mia Member' });
    await eventually(
      async () =>
        (await h.request('GET', `/v1/status/${String(jobId)}`, { token: member })).body.state ===
        'dispatched',
    );
    const history = await h.request('GET', '/v1/commands', { token: member });
    expect((history.body.jobs as { job_id: string }[]).some((j) => j.job_id === jobId)).toBe(true);
  });

  it('50 concurrent requests with one Idempotency-Key create exactly one job and one dispatch', async () => {
    const key = `idem-${Date.now()}`;
    const body = { repo: REPO, command: 'sync' };
    const results = await Promise.all(
      Array.from({ length: 50 }, () =>
        h.request('POST', '/v1/commands', { token: member, json: body, headers: { 'idempotency-key': key } }),
      ),
    );
    expect(results.map((r) => r.status)).toEqual(Array(50).fill(202));
    const ids = new Set(results.map((r) => r.body.job_id));
    expect(ids.size).toBe(1);
    const [jobId] = [...ids];
    expect(await count('SELECT COUNT(*) AS n FROM jobs WHERE id = ?', jobId)).toBe(1);
    expect(await count(`SELECT COUNT(*) AS n FROM jobs WHERE command = 'sync'`)).toBe(1);
    expect(await count('SELECT COUNT(*) AS n FROM outbox WHERE job_id = ?', jobId)).toBe(1);
    await eventually(() => dispatchesOf(jobId).length === 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(dispatchesOf(jobId)).toHaveLength(1);
    expect(results.filter((r) => r.headers.get('idempotent-replayed') === 'true')).toHaveLength(49);
  });

  it('a burst beyond the inline delivery cap is left to the cron and every job is dispatched once', async () => {
    const burst = await Promise.all(
      Array.from({ length: 24 }, (_, i) =>
        h.request('POST', '/v1/commands', {
          token: member,
          json: { repo: REPO, command: 'codegen', prompt: `burst ${i}` },
        }),
      ),
    );
    const ids = burst.map((r) => r.body.job_id);
    expect(new Set(ids).size).toBe(24);
    await eventually(async () => {
      await h.scheduled();
      return ids.every((id) => dispatchesOf(id).length > 0);
    });
    expect(ids.map((id) => dispatchesOf(id).length)).toEqual(Array(24).fill(1));
  });

  it('the same Idempotency-Key with a different body is a 409', async () => {
    const headers = { 'idempotency-key': `conflict-${Date.now()}` };
    expect(
      (
        await h.request('POST', '/v1/commands', {
          token: member,
          headers,
          json: { repo: REPO, command: 'sync' },
        })
      ).status,
    ).toBe(202);
    const res = await h.request('POST', '/v1/commands', {
      token: member,
      headers,
      json: { repo: REPO, command: 'codegen', prompt: 'x' },
    });
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: { code: 'CONFLICT' } });
  });

  it('GitHub answering 502 then 200 still dispatches exactly once', async () => {
    h.github.faults.add({ route: 'POST /repos/{owner}/{repo}/dispatches', status: 502, times: 1 });
    const res = await h.request('POST', '/v1/commands', {
      token: member,
      json: { repo: REPO, command: 'policy-check' },
    });
    expect(res.status).toBe(202);
    await eventually(() => dispatchesOf(res.body.job_id).length === 1);
    await h.scheduled();
    await new Promise((r) => setTimeout(r, 200));
    expect(dispatchesOf(res.body.job_id)).toHaveLength(1);
    const row = await h.db
      .prepare('SELECT attempts, state FROM outbox WHERE job_id = ?')
      .bind(res.body.job_id)
      .first();
    expect(row).toEqual({ attempts: 2, state: 'sent' });
  });

  it('a secondary rate limit with retry-after is left to the cron, then dispatched once', async () => {
    h.github.faults.add({
      route: 'POST /repos/{owner}/{repo}/dispatches',
      status: 403,
      times: 1,
      retryAfter: 60,
    });
    const res = await h.request('POST', '/v1/commands', {
      token: member,
      json: { repo: REPO, command: 'rotate-secrets' },
    });
    const jobId = res.body.job_id as string;
    await eventually(
      async () => (await count('SELECT attempts AS n FROM outbox WHERE job_id = ?', jobId)) === 1,
    );
    expect(dispatchesOf(jobId)).toHaveLength(0);
    // The cron before retry-after elapses does nothing; once due, one delivery.
    await h.scheduled();
    expect(dispatchesOf(jobId)).toHaveLength(0);
    await h.db.prepare('UPDATE outbox SET next_attempt_at = 0 WHERE job_id = ?').bind(jobId).run();
    await Promise.all([h.scheduled(), h.scheduled()]);
    expect(dispatchesOf(jobId)).toHaveLength(1);
  });

  it('refuses an oversized body with 413', async () => {
    const res = await h.request('POST', '/v1/commands', {
      token: member,
      json: { repo: REPO, command: 'codegen', prompt: 'x'.repeat(70 * 1024) },
    });
    expect(res.status).toBe(413);
    expect(res.body).toMatchObject({ error: { code: 'PAYLOAD_TOO_LARGE' } });
  });

  it('refuses malformed JSON with 400', async () => {
    const res = await h.request('POST', '/v1/commands', {
      token: member,
      headers: { 'content-type': 'application/json' },
      body: '{"repo": "a/b", "command": ',
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'INVALID_INPUT' } });
  });

  it.each([
    [{ command: 'codegen' }, /repo: is required/],
    [{ repo: 'not a repo', command: 'codegen' }, /repo: must match/],
    [{ repo: REPO, command: 'rm -rf' }, /command: must be one of/],
    [{ repo: REPO, command: 'sync', extra: 1 }, /unknown property "extra"/],
    [[1, 2], /must be an object/],
  ])('validates the body against the schema (%j)', async (json, message) => {
    const res = await h.request('POST', '/v1/commands', { token: member, json });
    expect(res.status).toBe(400);
    expect(String((res.body.error as { message: string }).message)).toMatch(message);
  });

  it('refuses repositories outside the allowed owners with 403', async () => {
    const res = await h.request('POST', '/v1/commands', {
      token: member,
      json: { repo: 'mallory/repo', command: 'sync' },
    });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ error: { code: 'POLICY_DENIED' } });
  });

  it('stores SQL-injection strings verbatim and harmlessly', async () => {
    const evil = `'); DROP TABLE jobs; -- " OR 1=1; SELECT * FROM kill_switch WHERE '1'='1`;
    const res = await h.request('POST', '/v1/commands', {
      token: member,
      headers: { 'idempotency-key': "k');DELETE/**/FROM/**/outbox;--" },
      json: { repo: `${OWNER}/foundation`, command: 'codegen', prompt: evil, ref: "main'--" },
    });
    expect(res.status).toBe(400); // ref has a quote: the schema refuses it before SQL sees it
    const ok = await h.request('POST', '/v1/commands', {
      token: member,
      headers: { 'idempotency-key': "k');DELETE/**/FROM/**/outbox;--" },
      json: { repo: REPO, command: 'codegen', prompt: evil },
    });
    expect(ok.status).toBe(202);
    const row = await h.db
      .prepare('SELECT body FROM jobs WHERE id = ?')
      .bind(ok.body.job_id)
      .first<{ body: string }>();
    expect(JSON.parse(row?.body ?? '{}').prompt).toBe(evil);
    expect(await count('SELECT COUNT(*) AS n FROM jobs')).toBeGreaterThan(1);
    expect(await count('SELECT COUNT(*) AS n FROM outbox')).toBeGreaterThan(1);
    await eventually(() => dispatchesOf(ok.body.job_id).length === 1);
    expect(dispatchesOf(ok.body.job_id)[0]?.client_payload.prompt).toBe(evil);
  });

  it('rate-limits per device with 429 and retry-after', async () => {
    // Limits count in fixed one-minute windows: start well inside one so the five requests share it.
    const intoMinute = Date.now() % 60_000;
    if (intoMinute > 45_000) await new Promise((r) => setTimeout(r, 60_000 - intoMinute + 200));
    const headers = { 'x-device-id': `device-${Date.now()}` };
    const statuses: number[] = [];
    let retryAfter: string | null = null;
    for (let i = 0; i < 5; i++) {
      const r = await h.request('POST', '/v1/commands', {
        token: member,
        headers,
        json: { repo: REPO, command: 'sync' },
      });
      statuses.push(r.status);
      if (r.status === 429) retryAfter = r.headers.get('retry-after');
    }
    expect(statuses).toEqual([202, 202, 202, 429, 429]);
    expect(Number(retryAfter)).toBeGreaterThan(0);
    expect(Number(retryAfter)).toBeLessThanOrEqual(60);
  });

  it("a member cannot read another member's job", async () => {
    const res = await h.request('POST', '/v1/commands', {
      token: member,
      json: { repo: REPO, command: 'sync' },
    });
    const other = await h.issuer.mintUser({ sub: 'someone-else', roles: ['member'] });
    expect((await h.request('GET', `/v1/status/${String(res.body.job_id)}`, { token: other })).status).toBe(
      404,
    );
    expect(
      (await h.request('GET', `/v1/status/${String(res.body.job_id)}`, { token: await h.user('approver') }))
        .status,
    ).toBe(200);
  });
});
