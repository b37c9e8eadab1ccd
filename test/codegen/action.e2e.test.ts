/**
 * The committed bundle run the way a runner runs it: `node actions/codegen/dist/index.js` with INPUT_*
 * variables, GITHUB_OUTPUT, an Actions OIDC token for the edge, once per job of codegen.yml, against the
 * sandbox forge and LLM server. Artifacts pass through a directory (no Actions results service here).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { OWNER, serviceFiles, startWorld } from './harness.js';
import type { World } from './harness.js';
import { APPROVE, GOOD_ENDPOINT } from './replies.js';

const BUNDLE = fileURLToPath(new URL('../../actions/codegen/dist/index.js', import.meta.url));
const run = promisify(execFile);
let world: World;

beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world.stop());

async function step(
  mode: string,
  inputs: Record<string, string>,
  workdir: string,
): Promise<{ outputs: Record<string, string>; stdout: string; code: number }> {
  const out = join(workdir, `${mode}.out`);
  writeFileSync(out, '');
  const oidc = world.forge.oidc.requestToken({
    repository: `${OWNER}/svc-action`,
    ref: 'refs/heads/main',
  } as never);
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: workdir,
    GITHUB_OUTPUT: out,
    GITHUB_REPOSITORY: `${OWNER}/svc-action`,
    GITHUB_SERVER_URL: world.forge.url,
    GITHUB_API_URL: world.forge.apiUrl,
    GITHUB_RUN_ID: '4242',
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_ACTOR: 'alice',
    ACTIONS_ID_TOKEN_REQUEST_URL: oidc.url,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.token,
    OPENAI_API_KEY: world.llm.apiKeys.openai,
    ANTHROPIC_API_KEY: world.llm.apiKeys.anthropic,
    INPUT_MODE: mode,
    INPUT_WORKDIR: workdir,
    'INPUT_EDGE-URL': world.edge.server.url,
    ...Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
  };
  let stdout = '';
  let code = 0;
  try {
    stdout = (await run(process.execPath, [BUNDLE], { env, maxBuffer: 64 * 1024 * 1024 })).stdout;
  } catch (err) {
    stdout = String((err as { stdout?: string }).stdout);
    code = (err as { code?: number }).code ?? 1;
  }
  const outputs: Record<string, string> = {};
  const text = readFileSync(out, 'utf8');
  for (const m of text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)) outputs[m[1]!] = m[3]!;
  return { outputs, stdout, code };
}

describe('the codegen bundle as the workflow runs it', () => {
  it('generate → gate → publish opens a Verified draft PR; the generate job holds only a read-only token', async () => {
    await world.forge.createRepo(OWNER, 'svc-action', { files: serviceFiles('not-a-secret') });
    world.llm.setRules([
      { match: { templateName: 'generate_api_endpoint' }, reply: GOOD_ENDPOINT },
      { match: { templateName: 'review_change' }, reply: APPROVE },
    ]);
    const workdir = mkdtempSync(join(tmpdir(), 'codegen-action-'));
    const readToken = world.forge.tokenForInstallation(undefined, { permissions: { contents: 'read' } });
    const providers = `- { name: primary, kind: openai, model: gpt-5.4, base_url: "${world.llm.openaiBaseUrl}" }\n- { name: fallback, kind: anthropic, model: claude-sonnet-4-6, base_url: "${world.llm.anthropicBaseUrl}" }`;
    const gen = await step(
      'generate',
      {
        command: 'Generate API endpoint for user management',
        token: readToken,
        providers,
        checks: 'unit tests: node --test test/',
        'job-id': 'job-77',
      },
      workdir,
    );
    expect(gen.code).toBe(0);
    expect(gen.outputs.status).toBe('ready');

    const gate = await step('gate', { token: readToken }, workdir);
    expect(gate.code).toBe(0);
    expect(gate.outputs.allow).toBe('true');

    const pub = await step(
      'publish',
      {
        decision: gate.outputs.decision!,
        'app-id': String(world.forge.app.appId),
        'app-private-key': world.forge.app.privateKey,
        'installation-id': String(world.forge.app.installationId),
        reviewers: 'bob',
        labels: 'codegen',
      },
      workdir,
    );
    expect(pub.code).toBe(0);
    const { data: pull } = await world.app.rest.pulls.get({
      owner: OWNER,
      repo: 'svc-action',
      pull_number: Number(pub.outputs['pr-number']),
    });
    expect(pull.draft).toBe(true);
    expect(pull.head.ref).toMatch(/^automation\/cp-api-endpoint-user-\d{14}$/);
    // The key reaches the log only inside the runner's ::add-mask:: command, which hides it everywhere else.
    const keyLine = world.forge.app.privateKey.split('\n')[1]!;
    expect(
      pub.stdout.split('\n').filter((l) => l.includes(keyLine) && !l.startsWith('::add-mask::')),
    ).toEqual([]);
    expect(pub.stdout).not.toMatch(/^::error::/m);
    expect(world.edge.events.map((e) => [e.jobId, e.event.type])).toEqual([
      ['job-77', 'running'],
      ['job-77', 'pr_opened'],
    ]);
    // Every edge call carried an Actions OIDC token (minted by the forge's issuer), never a GitHub token.
    expect(world.edge.server.requests.every((r) => /^Bearer ey/.test(String(r.headers.authorization)))).toBe(
      true,
    );
  });

  it('gate reads the policy from the base commit and denies; report-failure opens an issue, fails the run, no PR', async () => {
    const policy = 'protected_paths:\n  mode: deny\n  patterns: ["src/**"]\n';
    await world.forge.createRepo(OWNER, 'svc-deny', {
      files: { ...serviceFiles('not-a-secret'), '.github/autocode-policy.yaml': policy },
    });
    world.llm.setRules([
      { match: { templateName: 'generate_api_endpoint' }, reply: GOOD_ENDPOINT },
      { match: { templateName: 'review_change' }, reply: APPROVE },
    ]);
    const workdir = mkdtempSync(join(tmpdir(), 'codegen-action-'));
    const readToken = world.forge.tokenForInstallation(undefined, { permissions: { contents: 'read' } });
    const repository = `${OWNER}/svc-deny`;
    const providers = `- { name: primary, kind: openai, model: gpt-5.4, base_url: "${world.llm.openaiBaseUrl}" }`;
    const gen = await step(
      'generate',
      {
        repository,
        command: 'Generate API endpoint for user management',
        token: readToken,
        providers,
        review: 'false',
      },
      workdir,
    );
    expect(gen.outputs.status).toBe('ready');
    const gate = await step('gate', { repository, token: readToken }, workdir);
    expect(gate.code).toBe(0);
    expect(gate.outputs.allow).toBe('false');
    expect(JSON.parse(gate.outputs.decision!).deny[0]).toMatchObject({ rule: 'protected-paths' });
    const app = {
      'app-id': String(world.forge.app.appId),
      'app-private-key': world.forge.app.privateKey,
      'installation-id': String(world.forge.app.installationId),
    };
    const failed = await step(
      'report-failure',
      { repository, decision: gate.outputs.decision!, reason: 'gate: success (allow=false)', ...app },
      workdir,
    );
    expect(failed.code).not.toBe(0);
    const { data: issue } = await world.app.rest.issues.get({
      owner: OWNER,
      repo: 'svc-deny',
      issue_number: Number(failed.outputs['issue-number']),
    });
    expect(issue.body).toContain('protected-paths');
    const { data: pulls } = await world.app.rest.pulls.list({ owner: OWNER, repo: 'svc-deny', state: 'all' });
    expect(pulls).toHaveLength(0);
  });
});
