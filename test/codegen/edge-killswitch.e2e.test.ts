/**
 * The kill switch through the real edge Worker (workerd via Miniflare, D1): an admin trips it with the edge's
 * own API, and codegen — reaching the Worker with an Actions OIDC token as a workflow job does — makes no
 * model call and no write at all; tripped between gate and publish, publish writes nothing either.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { EdgeClient } from '@autocode/toolkit';
import { startLlmServer } from '@autocode/sandbox';
import type { LlmServer } from '@autocode/sandbox';
import { loadPolicyEngine } from '@autocode/policies/node';
import { OWNER, startHarness } from '@autocode/edge-api/testing';
import type { Harness } from '@autocode/edge-api/testing';
import { appClient, CHECKS, runCodegen, serviceFiles } from './harness.js';
import type { RunOptions, World } from './harness.js';
import { APPROVE, GOOD_ENDPOINT } from './replies.js';

let h: Harness;
let llm: LlmServer;
let world: World;
const REPO = 'svc-kill';

/** Codegen's requests to the repository (the Worker's own dispatches to other repos are not ours). */
const ourWrites = () =>
  h.github.forge.requests.filter(
    (r) => !['GET', 'HEAD'].includes(r.method) && r.path.includes(`/${REPO}`) && r.kind === 'api',
  );

const run = (extra: Partial<RunOptions> = {}) =>
  runCodegen(world, {
    owner: OWNER,
    repo: REPO,
    command: 'Generate API endpoint for user management',
    checks: CHECKS,
    jobId: null,
    ...extra,
  });

const trip = async (active: boolean) => {
  const res = await h.request('POST', '/v1/killswitch', {
    token: await h.user('admin'),
    json: active
      ? { reason: 'security_incident', duration_minutes: 60 }
      : { active: false, reason: 'drill over' },
  });
  expect(res.status).toBe(200);
};

beforeAll(async () => {
  h = await startHarness();
  llm = await startLlmServer({
    rules: [
      { match: { templateName: 'generate_api_endpoint' }, reply: GOOD_ENDPOINT },
      { match: { templateName: 'review_change' }, reply: APPROVE },
    ],
  });
  const forge = h.github.forge;
  await forge.createRepo(OWNER, REPO, { files: serviceFiles('not-a-secret') });
  world = {
    forge,
    llm,
    edge: {
      server: undefined as never,
      killed: false,
      events: [],
      client: new EdgeClient({
        baseUrl: h.url,
        getToken: () => h.github.actionsToken(`${OWNER}/${REPO}`),
        retries: 0,
      }),
    },
    app: appClient(forge),
    engine: await loadPolicyEngine(),
    stop: async () => undefined,
  };
});
afterAll(async () => {
  await llm?.stop();
  await h?.close();
});

describe('kill switch through the edge Worker', () => {
  it('tripped: no model call, no write, the run stops with KILL_SWITCH_ACTIVE', async () => {
    await trip(true);
    h.github.forge.clearRequests();
    const out = await run();
    expect(out.error).toMatchObject({ code: 'KILL_SWITCH_ACTIVE' });
    expect(String((out.error as Error).message)).toContain('security_incident');
    expect(llm.requests).toHaveLength(0);
    expect(ourWrites()).toEqual([]);
  });

  it('tripped between gate and publish: publish writes nothing', async () => {
    await trip(false);
    llm.reset();
    h.github.forge.clearRequests();
    const out = await run({ beforePublish: () => trip(true) });
    expect(out.generated!.record.status).toBe('ready');
    expect(llm.requests.length).toBeGreaterThan(0);
    expect(out.error).toMatchObject({ code: 'KILL_SWITCH_ACTIVE' });
    expect(ourWrites()).toEqual([]);
  });
});
