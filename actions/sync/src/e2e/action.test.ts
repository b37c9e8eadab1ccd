import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SyncFixture } from './fixture.js';
import { OWNER, startSyncFixture } from './fixture.js';

const bundle = fileURLToPath(new URL('../../dist/index.js', import.meta.url));
let fx: SyncFixture;

beforeAll(async () => {
  fx = await startSyncFixture({
    source: { 'docs/a.md': 'a\n', 'docs/b.md': 'b\n' },
    targets: { web: { 'README.md': '# web\n' } },
  });
  writeFileSync(
    join(fx.sourceDir, '.sync-config.yaml'),
    `targets:\n  - repo: ${OWNER}/web\n    paths: [docs/**]\n    labels: [sync/foundation]\n`,
  );
});
afterEach(() => fx.checkRequests());
afterAll(async () => fx?.stop());

/** The committed bundle, run the way the runner runs it: INPUT_* env, GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. */
function runAction(inputs: Record<string, string>) {
  const dir = mkdtempSync(join(tmpdir(), 'sync-action-'));
  const files = { GITHUB_OUTPUT: join(dir, 'output'), GITHUB_STEP_SUMMARY: join(dir, 'summary') };
  for (const f of Object.values(files)) writeFileSync(f, '');
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GITHUB_WORKSPACE: fx.sourceDir,
    GITHUB_REPOSITORY: `${OWNER}/foundation`,
    GITHUB_SERVER_URL: fx.forge.url,
    GITHUB_RUN_ID: '42',
    ...files,
  };
  for (const [k, v] of Object.entries(inputs)) env[`INPUT_${k.toUpperCase()}`] = v;
  return new Promise<{ status: number; stdout: string; outputs: Record<string, string>; summary: string }>(
    (resolve) => {
      execFile(process.execPath, [bundle], { env, cwd: fx.sourceDir, timeout: 60_000 }, (err, stdout) => {
        const outputs: Record<string, string> = {};
        const text = readFileSync(files.GITHUB_OUTPUT, 'utf8');
        for (const m of text.matchAll(/^(.+?)<<(ghadelimiter_[^\n]+)\n([\s\S]*?)\n\2$/gm))
          outputs[m[1]!] = m[3]!;
        resolve({
          status: err ? 1 : 0,
          stdout,
          outputs,
          summary: readFileSync(files.GITHUB_STEP_SUMMARY, 'utf8'),
        });
      });
    },
  );
}

describe('the sync action bundle (dist/index.js) on the runner contract', () => {
  const app = () => ({
    'app-id': String(fx.forge.app.appId),
    'app-private-key': fx.forge.app.privateKey,
    'installation-id': String(fx.forge.app.installationId),
    'github-api-url': fx.forge.apiUrl,
    'write-spacing-ms': '0',
    config: '.sync-config.yaml',
  });

  it('dry run: summary and result output, zero writes', async () => {
    fx.forge.clearRequests();
    const r = await runAction({ ...app(), 'dry-run': 'true' });
    expect(r.status).toBe(0);
    expect(fx.writes()).toEqual({});
    expect(JSON.parse(r.outputs.result!).targets[0].plan.added).toEqual(['docs/a.md', 'docs/b.md']);
    expect(r.summary).toContain('dry run: nothing written');
  });

  it('sync: opens the PR, sets outputs, and the run URL is in the commit trailer', async () => {
    const r = await runAction(app());
    expect(r.status).toBe(0);
    expect(JSON.parse(r.outputs.statuses!)).toEqual({ [`${OWNER}/web`]: 'created' });
    expect(JSON.parse(r.outputs['pull-requests']!)).toHaveLength(1);
    const commit = JSON.parse(r.outputs.result!).targets[0].commit as string;
    const { data } = await fx.app.rest.git.getCommit({ owner: OWNER, repo: 'web', commit_sha: commit });
    expect(data.message).toContain(`Sync-Run: ${fx.forge.url}/${OWNER}/foundation/actions/runs/42`);
    expect(r.summary).toContain('| acme/web | 🆕 created |');
  });

  it('fails with the error code when a target cannot be synced', async () => {
    writeFileSync(
      join(fx.sourceDir, 'broken.yaml'),
      `targets:\n  - repo: ${OWNER}/missing\n    paths: [docs/**]\n`,
    );
    const r = await runAction({ ...app(), config: 'broken.yaml' });
    expect(r.status).toBe(1);
    expect(r.outputs['error-code']).toBe('FORBIDDEN');
    expect(r.stdout).toContain('cannot access acme/missing');
  });
});
