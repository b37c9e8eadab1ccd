import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createHmac } from 'node:crypto';
import type { Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import sealedbox from 'tweetnacl-sealedbox-js';
import type { DispatchRec } from './index.js';
import { useForgeFixture } from './test-support.js';

const owner = 'acme';
const repo = 'production';
const WORKFLOW = `name: Sync
on:
  repository_dispatch:
    types: [sync]
  workflow_dispatch:
jobs:
  sync:
    runs-on: ubuntu-latest
    steps:
      - run: echo sync
`;

const fx = useForgeFixture(async () => {
  await fx.forge.createRepo(owner, repo, {
    files: {
      'README.md': '# production\n',
      '.github/workflows/sync.yml': WORKFLOW,
      '.github/workflows/ci.yml': 'name: CI\non: [push]\n',
    },
  });
});

function seal(value: string, key: string): string {
  return Buffer.from(sealedbox.seal(Buffer.from(value), Buffer.from(key, 'base64'))).toString('base64');
}

describe('repository_dispatch and workflows', () => {
  it('records a dispatch, queues runs for matching workflows and calls the onDispatch hook', async () => {
    const seen: DispatchRec[] = [];
    const off = fx.forge.onDispatch((d) => void seen.push(d));
    await fx.app.rest.repos.createDispatchEvent({
      owner,
      repo,
      event_type: 'sync',
      client_payload: { source: 'foundation', sha: 'abc' },
    });
    await fx.app.rest.repos.createDispatchEvent({ owner, repo, event_type: 'other' });
    await new Promise((r) => setImmediate(r));
    off();
    expect(seen.map((d) => [d.eventType, d.clientPayload, d.runIds.length])).toEqual([
      ['sync', { source: 'foundation', sha: 'abc' }, 1],
      ['other', {}, 0],
    ]);
    expect(fx.forge.dispatches.map((d) => d.eventType)).toEqual(['sync', 'other']);
    const { data: runs } = await fx.app.rest.actions.listWorkflowRunsForRepo({ owner, repo });
    expect(runs.workflow_runs.map((r) => [r.event, r.status, r.display_title])).toEqual([
      ['repository_dispatch', 'queued', 'sync'],
    ]);
  });

  it('validates dispatches like GitHub: event_type ≤ 100 characters, client_payload ≤ 10 keys', async () => {
    await expect(
      fx.app.rest.repos.createDispatchEvent({ owner, repo, event_type: 'x'.repeat(101) }),
    ).rejects.toMatchObject({ status: 422 });
    const payload = Object.fromEntries(Array.from({ length: 11 }, (_v, i) => [`k${i}`, i]));
    await expect(
      fx.app.rest.repos.createDispatchEvent({ owner, repo, event_type: 'sync', client_payload: payload }),
    ).rejects.toMatchObject({ status: 422 });
  });

  it('lists, disables, enables and dispatches workflows; cancels runs', async () => {
    const { app, forge } = fx;
    const { data } = await app.rest.actions.listRepoWorkflows({ owner, repo });
    expect(data.workflows.map((w) => [w.name, w.path, w.state])).toEqual([
      ['CI', '.github/workflows/ci.yml', 'active'],
      ['Sync', '.github/workflows/sync.yml', 'active'],
    ]);
    await app.rest.actions.disableWorkflow({ owner, repo, workflow_id: 'sync.yml' });
    expect((await app.rest.actions.getWorkflow({ owner, repo, workflow_id: 'sync.yml' })).data.state).toBe(
      'disabled_manually',
    );
    await app.rest.repos.createDispatchEvent({ owner, repo, event_type: 'sync' });
    expect(forge.dispatches.at(-1)?.runIds).toEqual([]);
    await app.rest.actions.enableWorkflow({ owner, repo, workflow_id: 'sync.yml' });
    await app.rest.actions.createWorkflowDispatch({
      owner,
      repo,
      workflow_id: 'sync.yml',
      ref: 'main',
      inputs: { target: 'mvp' },
    });
    const runId = forge.dispatches.at(-1)!.runIds[0]!;
    await forge.updateWorkflowRun(runId, { status: 'in_progress' });
    await app.rest.actions.cancelWorkflowRun({ owner, repo, run_id: runId });
    const { data: run } = await app.rest.actions.getWorkflowRun({ owner, repo, run_id: runId });
    expect([run.status, run.conclusion, run.event]).toEqual(['completed', 'cancelled', 'workflow_dispatch']);
    await expect(app.rest.actions.cancelWorkflowRun({ owner, repo, run_id: runId })).rejects.toMatchObject({
      status: 409,
    });
  });
});

describe('Actions secrets', () => {
  it('round-trips repository, organization and environment secrets through sealed boxes', async () => {
    const { app, forge } = fx;
    const { data: key } = await app.rest.actions.getRepoPublicKey({ owner, repo });
    expect(Buffer.from(key.key, 'base64')).toHaveLength(32);
    const first = await app.rest.actions.createOrUpdateRepoSecret({
      owner,
      repo,
      secret_name: 'DEPLOY_TOKEN',
      encrypted_value: seal('v1', key.key),
      key_id: key.key_id,
    });
    expect(first.status).toBe(201);
    const second = await app.rest.actions.createOrUpdateRepoSecret({
      owner,
      repo,
      secret_name: 'DEPLOY_TOKEN',
      encrypted_value: seal('v2', key.key),
      key_id: key.key_id,
    });
    expect(second.status).toBe(204);
    expect(forge.decryptSecret(`repo:${owner}/${repo}`, 'DEPLOY_TOKEN')).toBe('v2');
    const { data: list } = await app.rest.actions.listRepoSecrets({ owner, repo });
    expect(list.secrets.map((s) => s.name)).toEqual(['DEPLOY_TOKEN']);
    await expect(
      app.rest.actions.createOrUpdateRepoSecret({
        owner,
        repo,
        secret_name: 'X',
        encrypted_value: seal('v', key.key),
        key_id: 'wrong',
      }),
    ).rejects.toMatchObject({ status: 422 });

    const { data: orgKey } = await app.rest.actions.getOrgPublicKey({ org: owner });
    await app.rest.actions.createOrUpdateOrgSecret({
      org: owner,
      secret_name: 'LLM_KEY',
      encrypted_value: seal('sk-org', orgKey.key),
      key_id: orgKey.key_id,
      visibility: 'private',
    });
    expect(forge.decryptSecret(`org:${owner}`, 'LLM_KEY')).toBe('sk-org');
    const { data: orgSecret } = await app.rest.actions.getOrgSecret({ org: owner, secret_name: 'LLM_KEY' });
    expect(orgSecret.visibility).toBe('private');

    const { data: envKey } = await app.rest.actions.getEnvironmentPublicKey({
      owner,
      repo,
      environment_name: 'production',
    });
    await app.rest.actions.createOrUpdateEnvironmentSecret({
      owner,
      repo,
      environment_name: 'production',
      secret_name: 'DB_PASSWORD',
      encrypted_value: seal('hunter2', envKey.key),
      key_id: envKey.key_id,
    });
    expect(forge.decryptSecret(`env:${owner}/${repo}/production`, 'DB_PASSWORD')).toBe('hunter2');
    await app.rest.actions.deleteRepoSecret({ owner, repo, secret_name: 'DEPLOY_TOKEN' });
    expect(forge.decryptSecret(`repo:${owner}/${repo}`, 'DEPLOY_TOKEN')).toBeUndefined();
  });
});

describe('checks and statuses', () => {
  it('creates and completes check runs (Apps only) and combines commit statuses', async () => {
    const { app, forge, client } = fx;
    const { data: main } = await app.rest.repos.getBranch({ owner, repo, branch: 'main' });
    const sha = main.commit.sha;
    const { data: check } = await app.rest.checks.create({
      owner,
      repo,
      name: 'autocode/policy',
      head_sha: sha,
      status: 'in_progress',
    });
    await app.rest.checks.update({
      owner,
      repo,
      check_run_id: check.id,
      conclusion: 'success',
      output: { title: 'Policy', summary: 'allowed' },
    });
    const { data: checks } = await app.rest.checks.listForRef({ owner, repo, ref: 'main' });
    expect(checks.check_runs.map((c) => [c.name, c.status, c.conclusion])).toEqual([
      ['autocode/policy', 'completed', 'success'],
    ]);
    const human = client(forge.createUser('carol').token);
    await expect(human.rest.checks.create({ owner, repo, name: 'x', head_sha: sha })).rejects.toMatchObject({
      status: 403,
    });

    await app.rest.repos.createCommitStatus({ owner, repo, sha, state: 'pending', context: 'ci/test' });
    expect((await app.rest.repos.getCombinedStatusForRef({ owner, repo, ref: sha })).data.state).toBe(
      'pending',
    );
    await app.rest.repos.createCommitStatus({ owner, repo, sha, state: 'success', context: 'ci/test' });
    await app.rest.repos.createCommitStatus({ owner, repo, sha, state: 'success', context: 'ci/lint' });
    const { data: combined } = await app.rest.repos.getCombinedStatusForRef({ owner, repo, ref: 'main' });
    expect([combined.state, combined.total_count]).toEqual(['success', 2]);
  });
});

describe('webhooks configuration', () => {
  let server: Server;
  const got: { event: string; signature: string; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        got.push({
          event: String(req.headers['x-github-event']),
          signature: String(req.headers['x-hub-signature-256']),
          body,
        });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  });
  afterAll(() => new Promise((r) => server.close(r)));

  it('rotates a repository hook secret through PATCH /hooks/{id}/config; deliveries use the new secret', async () => {
    const { app, forge } = fx;
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const { data: hook } = await app.rest.repos.createWebhook({
      owner,
      repo,
      events: ['issues'],
      config: { url, content_type: 'json', secret: 'old' },
    });
    expect(hook.config.secret).toBe('********');
    await app.rest.repos.updateWebhookConfigForRepo({ owner, repo, hook_id: hook.id, secret: 'new' });
    await app.rest.issues.create({ owner, repo, title: 'hello' });
    await forge.webhooks.idle();
    const delivery = got.find((d) => d.event === 'issues')!;
    expect(delivery.signature).toBe(
      `sha256=${createHmac('sha256', 'new').update(delivery.body).digest('hex')}`,
    );
    const { data: orgHook } = await app.rest.orgs.createWebhook({
      org: owner,
      name: 'web',
      config: { url, content_type: 'json', secret: 's1' },
      events: ['push'],
    });
    const { data: cfg } = await app.rest.orgs.updateWebhookConfigForOrg({
      org: owner,
      hook_id: orgHook.id,
      secret: 's2',
    });
    expect(cfg.url).toBe(url);
  });
});

describe('Actions OIDC issuer', () => {
  it('serves discovery and JWKS; minted job tokens verify with jose', async () => {
    const { forge } = fx;
    const discovery = (await (
      await fetch(`${forge.oidc.issuer}/.well-known/openid-configuration`)
    ).json()) as { issuer: string; jwks_uri: string };
    expect(discovery.issuer).toBe(forge.oidc.issuer);
    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const token = await forge.oidc.mintActionsIdToken({
      repository: `${owner}/${repo}`,
      workflow_ref: `${owner}/${repo}/.github/workflows/sync.yml@refs/heads/main`,
      ref: 'refs/heads/main',
      run_id: 42,
      aud: 'autocode-edge',
    });
    const { payload } = await jwtVerify(token, jwks, {
      issuer: forge.oidc.issuer,
      audience: 'autocode-edge',
    });
    expect(payload).toMatchObject({
      repository: `${owner}/${repo}`,
      repository_owner: owner,
      run_id: '42',
      sub: `repo:${owner}/${repo}:ref:refs/heads/main`,
    });

    const minted = (await (
      await fetch(`${forge.oidc.issuer}/mint`, {
        method: 'POST',
        body: JSON.stringify({ repository: `${owner}/mvp`, aud: 'x' }),
      })
    ).json()) as { value: string };
    expect((await jwtVerify(minted.value, jwks, { audience: 'x' })).payload.repository).toBe(`${owner}/mvp`);

    const request = forge.oidc.requestToken({ repository: `${owner}/${repo}` });
    const res = await fetch(`${request.url}&audience=edge`, {
      headers: { authorization: `bearer ${request.token}` },
    });
    const { value } = (await res.json()) as { value: string };
    expect((await jwtVerify(value, jwks, { audience: 'edge' })).payload.repository).toBe(`${owner}/${repo}`);
  });
});
