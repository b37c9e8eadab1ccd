import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SyncFixture } from './fixture.js';
import { OWNER, startSyncFixture } from './fixture.js';

const bin = fileURLToPath(new URL('../../../../cli/bin/autocode.js', import.meta.url));
let fx: SyncFixture;
let dir: string;

/** The CLI in a child process (async: the forge answers from this process). */
function autocode(args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [bin, ...args],
      { encoding: 'utf8', timeout: 60_000, env: { ...process.env, GITHUB_TOKEN: '' } },
      (err, stdout, stderr) =>
        resolve({ status: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  fx = await startSyncFixture({
    source: { 'docs/a.md': 'a\n' },
    targets: { web: { 'README.md': '# web\n' } },
  });
  dir = mkdtempSync(join(tmpdir(), 'sync-cli-'));
  writeFileSync(join(dir, 'key.pem'), fx.forge.app.privateKey);
  writeFileSync(join(dir, 'sync.yaml'), `targets:\n  - repo: ${OWNER}/web\n    paths: [docs/**]\n`);
});
afterEach(() => fx.checkRequests());
afterAll(async () => fx?.stop());

/** `autocode sync <command> --config <dir>/<config> --source <source> …extra` with the App's credentials. */
const sync = (command: string, config: string, source: string, ...extra: string[]) =>
  autocode(['sync', command, '--config', join(dir, config), '--source', source, ...extra, ...auth()]);
const local = () => ['--source-repo', `${OWNER}/foundation`];

const auth = () => [
  '--api-url',
  fx.forge.apiUrl,
  '--app-id',
  String(fx.forge.app.appId),
  '--app-private-key-file',
  join(dir, 'key.pem'),
  '--installation-id',
  String(fx.forge.app.installationId),
  '--write-spacing-ms',
  '0',
];

describe('autocode sync (CLI against the sandbox forge)', () => {
  it('plan prints the plan as JSON and writes nothing', async () => {
    fx.forge.clearRequests();
    const r = await sync('plan', 'sync.yaml', fx.sourceDir, ...local(), '--json');
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(JSON.parse(r.stdout).targets[0]).toMatchObject({
      repo: `${OWNER}/web`,
      status: 'planned',
      plan: { added: ['docs/a.md'], prAction: 'create' },
    });
    expect(fx.writes()).toEqual({});
  });

  it('run syncs a remote source (owner/repo, cloned) and rollback closes the unmerged PR', async () => {
    const run = await sync('run', 'sync.yaml', `${OWNER}/foundation`);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/acme\/web \| 🆕 created/);
    const rollback = await sync('rollback', 'sync.yaml', `${OWNER}/foundation`, '--target', `${OWNER}/web`);
    expect(rollback.status).toBe(0);
    expect(rollback.stdout).toContain('never landed: closed it');
  });

  it('bad input exits 2 naming file:line:column', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      'targets:\n  - repo: acme/web\n    paths: [docs/**]\n    on_conflict: maybe\n',
    );
    const r = await sync('plan', 'bad.yaml', fx.sourceDir, ...local());
    expect(r.status).toBe(2);
    expect(r.stderr).toContain(
      `${join(dir, 'bad.yaml')}:4:18: targets[0].on_conflict: must be one of "skip", "fail", "overwrite"`,
    );
  });

  it('a target not in the config is refused', async () => {
    const r = await sync('rollback', 'sync.yaml', `${OWNER}/foundation`, '--target', 'acme/nope');
    expect(r.status).toBe(2);
    expect(r.stderr).toContain('not a target');
  });
});
