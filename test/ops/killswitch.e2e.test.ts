/**
 * Kill switch end to end: an admin trips it on the edge (workerd), the edge dispatches `autocode.killswitch` to
 * the repository on the forge, and the dispatch runs the committed actions/killswitch bundle as the runner would.
 * The cancel/disable calls must appear in the forge's request log; clearing re-enables the workflows. While the
 * switch is active, every automation action bundle must exit before its first write.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startForge } from '@autocode/sandbox';
import type { DispatchRec, Forge } from '@autocode/sandbox';
import { startEdgeStack } from './edge-stack.js';
import type { EdgeStack } from './edge-stack.js';
import { runActionBundle } from './run-action.js';
import type { ActionRun } from './run-action.js';
import { root, until } from './support.js';

const REPO = 'acme/foundation';
let forge: Forge;
let edge: EdgeStack;
const enforcement: Promise<ActionRun>[] = [];

const wf = (on: string) =>
  `on:\n${on}\npermissions: {}\njobs:\n  run:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo hi\n`;

const workflowState = (file: string) =>
  forge.state.workflows?.[REPO]?.find((w: { path: string }) => w.path.endsWith(file))?.state;

const writes = () =>
  Object.entries(forge.countsByRoute({ writesOnly: true, kind: 'api' })).filter(
    ([route]) => !route.includes('access_tokens'),
  );

/** What the runner does with an `autocode.killswitch` dispatch: run the kill-switch workflow's action. */
/** The kill-switch workflow's step, as the runner runs it (with the dispatch payload when there is one). */
const enforce = (extra: Record<string, string> = {}) =>
  runActionBundle('killswitch', {
    forge,
    repository: REPO,
    inputs: {
      token: forge.tokenForInstallation(),
      'github-api-url': forge.apiUrl,
      repository: REPO,
      'edge-url': edge.url,
      ...extra,
    },
  });

function runKillSwitchWorkflow(d: DispatchRec): void {
  if (d.eventType !== 'autocode.killswitch') return;
  enforcement.push(enforce({ 'dispatched-active': String(d.clientPayload.active) }));
}

beforeAll(async () => {
  forge = await startForge({ org: 'acme' });
  await forge.createRepo('acme', 'foundation', {
    files: {
      '.github/workflows/sync.yml': wf('  repository_dispatch:\n    types: [autocode.sync]'),
      '.github/workflows/codegen.yml': wf('  repository_dispatch:\n    types: [autocode.codegen]'),
      '.github/workflows/ci.yml': wf('  push:'),
      '.github/workflows/killswitch.yml': wf('  repository_dispatch:\n    types: [autocode.killswitch]'),
    },
  });
  await forge.createRepo('acme', 'web', { files: { 'README.md': '# web\n' } });
  edge = await startEdgeStack(forge, { owner: 'acme', killSwitchRepos: [REPO] });
  // A pull request for the policy check to look at.
  const token = forge.tokenForInstallation();
  const api = (method: string, path: string, body: unknown) =>
    fetch(`${forge.apiUrl}${path}`, {
      method,
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  const main = (await (
    await fetch(`${forge.apiUrl}/repos/${REPO}/git/ref/heads/main`, {
      headers: { authorization: `token ${token}` },
    })
  ).json()) as { object: { sha: string } };
  await api('POST', `/repos/${REPO}/git/refs`, { ref: 'refs/heads/feature', sha: main.object.sha });
  await api('PUT', `/repos/${REPO}/contents/notes.md`, {
    message: 'notes',
    branch: 'feature',
    content: Buffer.from('n\n').toString('base64'),
  });
  await api('POST', `/repos/${REPO}/pulls`, { title: 'feature', head: 'feature', base: 'main' });
  forge.onDispatch(runKillSwitchWorkflow);
}, 120_000);

afterAll(async () => {
  await edge?.close();
  await forge?.stop();
});

async function dispatch(eventType: string): Promise<number> {
  const res = await fetch(`${forge.apiUrl}/repos/${REPO}/dispatches`, {
    method: 'POST',
    headers: { authorization: `token ${forge.tokenForInstallation()}`, 'content-type': 'application/json' },
    body: JSON.stringify({ event_type: eventType, client_payload: {} }),
  });
  expect(res.status).toBe(204);
  return forge.dispatches.at(-1)!.runIds[0]!;
}

const app = () => ({
  'app-id': String(forge.app.appId),
  'app-private-key': forge.app.privateKey,
  'installation-id': String(forge.app.installationId),
});

/** Inputs that get each action past input validation to the point where it would write. */
const ACTIONS: Record<
  string,
  () => Promise<{ inputs: Record<string, string>; cwd?: string; expect: RegExp }>
> = {
  'rotate-secrets': async () => ({ inputs: { ...app(), rotate: '*' }, expect: /^KILL_SWITCH_ACTIVE$/ }),
  sync: async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ks-sync-'));
    mkdirSync(join(dir, 'docs'));
    writeFileSync(join(dir, 'docs/a.md'), 'a\n');
    writeFileSync(join(dir, '.sync-config.yaml'), 'targets:\n  - repo: acme/web\n    paths: [docs/**]\n');
    for (const args of [
      ['init', '-q', '-b', 'main'],
      ['add', '.'],
      ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'src'],
    ]) {
      execFileSync('git', args, { cwd: dir });
    }
    return {
      inputs: { ...app(), config: '.sync-config.yaml', 'source-repo': REPO, 'write-spacing-ms': '0' },
      cwd: dir,
      expect: /^KILL_SWITCH_ACTIVE$/,
    };
  },
  codegen: async () => ({
    inputs: { ...app(), mode: 'generate', repository: REPO, command: 'add a line to the README' },
    cwd: mkdtempSync(join(tmpdir(), 'ks-codegen-')),
    expect: /^KILL_SWITCH_ACTIVE$/,
  }),
  // Read-only: it writes nothing anyway; with the switch active its decision is a deny (or the switch error).
  'policy-check': async () => ({
    inputs: { token: forge.tokenForInstallation(), repository: REPO, 'pull-number': '1' },
    expect: /^(KILL_SWITCH_ACTIVE|POLICY_DENIED)$/,
  }),
};

describe('kill switch on the sandbox', () => {
  let running = 0;
  let queued = 0;

  it('tripping it cancels in-progress automation runs and disables automation workflows through the API', async () => {
    running = await dispatch('autocode.sync');
    await forge.updateWorkflowRun(running, { status: 'in_progress' });
    queued = await dispatch('autocode.codegen');
    forge.clearRequests();

    expect((await edge.killSwitch(true, 'e2e: malicious PR activity')).status).toBe(200);
    await until(() => enforcement.length === 1);
    const run = await enforcement[0]!;
    expect(run.code).toBe(0);
    expect(run.outputs.active).toBe('true');

    const counts = forge.countsByRoute({ writesOnly: true });
    expect(counts['POST /repos/{owner}/{repo}/actions/runs/{run_id}/cancel']).toBe(2);
    expect(counts['PUT /repos/{owner}/{repo}/actions/workflows/{workflow_id}/disable']).toBe(2);
    expect(forge.state.runs.filter((r) => [running, queued].includes(r.id)).map((r) => r.conclusion)).toEqual(
      ['cancelled', 'cancelled'],
    );
    expect([workflowState('sync.yml'), workflowState('codegen.yml')]).toEqual([
      'disabled_manually',
      'disabled_manually',
    ]);
    expect([workflowState('ci.yml'), workflowState('killswitch.yml')]).toEqual(['active', 'active']);
  });

  it('a rerun while tripped changes nothing (zero writes)', async () => {
    forge.clearRequests();
    const r = await enforce();
    expect(r.code).toBe(0);
    expect(writes()).toEqual([]);
  });

  it('every automation action exits before its first write while it is tripped', async () => {
    const present = Object.keys(ACTIONS).filter((a) =>
      existsSync(join(root, 'actions', a, 'dist', 'index.js')),
    );
    expect(present).toEqual(expect.arrayContaining(['rotate-secrets', 'sync']));
    const seen: Record<string, string | undefined> = {};
    for (const name of present) {
      const setup = await ACTIONS[name]!();
      forge.clearRequests();
      const r = await runActionBundle(name, {
        forge,
        repository: REPO,
        inputs: { 'github-api-url': forge.apiUrl, 'edge-url': edge.url, ...setup.inputs },
        ...(setup.cwd ? { cwd: setup.cwd, env: { GITHUB_WORKSPACE: setup.cwd } } : {}),
      });
      seen[name] = r.outputs['error-code'];
      expect({ name, failed: r.code !== 0, writes: writes() }).toEqual({ name, failed: true, writes: [] });
      expect({ name, error: r.outputs['error-code'] }).toEqual({
        name,
        error: expect.stringMatching(setup.expect),
      });
    }
  });

  it('clearing it re-enables the automation workflows', async () => {
    forge.clearRequests();
    expect((await edge.killSwitch(false, 'e2e: resolved')).status).toBe(200);
    await until(() => enforcement.length === 2);
    const run = await enforcement[1]!;
    expect(run.code).toBe(0);
    expect(run.outputs.enabled?.split(',').sort()).toEqual([
      '.github/workflows/codegen.yml',
      '.github/workflows/sync.yml',
    ]);
    expect(
      forge.countsByRoute({ writesOnly: true })[
        'PUT /repos/{owner}/{repo}/actions/workflows/{workflow_id}/enable'
      ],
    ).toBe(2);
    expect([workflowState('sync.yml'), workflowState('codegen.yml')]).toEqual(['active', 'active']);
    // Automation runs again: a new sync dispatch creates a run.
    expect(await dispatch('autocode.sync')).toBeGreaterThan(0);
  });
});
