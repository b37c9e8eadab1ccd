/**
 * The dispatch chain run by `act` on the host platform (no Docker): a `repository_dispatch` of type
 * `autocode.sync` sent to the sandbox forge (as the edge API sends it) is picked up like a runner would — act runs
 * .github/workflows/sync-entry.yml, which calls the reusable sync.yml, whose step runs this repository's sync
 * action (act's --local-repository maps `InfinityXOneSystems/autocode@main` to this checkout) against the forge.
 * The result must be a pull request in the target repository on the forge.
 *
 * One deviation from the committed sync-entry.yml, marked in the copy: it passes `config` as an absolute path.
 * The sync action reads `.sync-config.yaml` from the workspace or from its clone of the source, but the clone is
 * made with --no-checkout, so with no checkout in sync.yml the file is not found (reported to the sync owner).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startForge } from '@autocode/sandbox';
import type { DispatchRec, Forge } from '@autocode/sandbox';
import { root } from './support.js';

const act = existsSync(join(root, '.tools/bin/act')) ? join(root, '.tools/bin/act') : 'act';
let forge: Forge;
let dir: string;

function runAct(d: DispatchRec): Promise<{ code: number; log: string }> {
  const event = join(dir, 'event.json');
  writeFileSync(
    event,
    JSON.stringify({
      action: d.eventType,
      client_payload: d.clientPayload,
      repository: {
        full_name: d.repo,
        name: d.repo.split('/')[1],
        default_branch: 'main',
        owner: { login: 'acme' },
      },
    }),
  );
  // act reads secrets as dotenv; the PEM travels with escaped newlines (the toolkit restores them).
  writeFileSync(
    join(dir, 'secrets'),
    `AUTOCODE_APP_PRIVATE_KEY="${forge.app.privateKey.replace(/\n/g, '\\n')}"\n`,
  );
  const args = [
    'repository_dispatch',
    '-W',
    '.github/workflows/sync-entry.yml',
    '-e',
    event,
    '-P',
    'ubuntu-latest=-self-hosted',
    '--local-repository',
    `InfinityXOneSystems/autocode@main=${root}`,
    '--env',
    `GITHUB_API_URL=${forge.apiUrl}`,
    '--env',
    `GITHUB_SERVER_URL=${forge.url}`,
    '--env',
    `GITHUB_REPOSITORY=${d.repo}`,
    '--var',
    `AUTOCODE_APP_ID=${forge.app.appId}`,
    '--var',
    `AUTOCODE_INSTALLATION_ID=${forge.app.installationId}`,
    '--secret-file',
    join(dir, 'secrets'),
  ];
  return new Promise((resolve) => {
    const child = spawn(act, args, { cwd: join(dir, 'foundation'), env: { ...process.env, HOME: dir } });
    let log = '';
    child.stdout.on('data', (b: Buffer) => (log += b.toString()));
    child.stderr.on('data', (b: Buffer) => (log += b.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, log }));
  });
}

beforeAll(async () => {
  forge = await startForge({ org: 'acme' });
  dir = mkdtempSync(join(tmpdir(), 'act-dispatch-'));
  const config = 'targets:\n  - repo: acme/web\n    paths: [docs/**]\n    labels: [sync/foundation]\n';
  await forge.createRepo('acme', 'foundation', {
    files: { 'docs/guide.md': '# guide\n', '.sync-config.yaml': config },
  });
  await forge.createRepo('acme', 'web', { files: { 'README.md': '# web\n' } });
  // The foundation checkout act runs in: its workflows, copied from this repository.
  const wd = join(dir, 'foundation');
  mkdirSync(join(wd, '.github/workflows'), { recursive: true });
  writeFileSync(join(wd, 'sync-config.yaml'), config);
  writeFileSync(
    join(wd, '.github/workflows/sync.yml'),
    readFileSync(join(root, '.github/workflows/sync.yml')),
  );
  const entry = readFileSync(join(root, '.github/workflows/sync-entry.yml'), 'utf8');
  const patched = entry.replace(
    /^(\s+)job-id: (.*)$/m,
    `$1job-id: $2\n$1# act test only: see the header of test/ops/act-dispatch.test.ts\n$1config: ${join(wd, 'sync-config.yaml')}`,
  );
  expect(patched).not.toBe(entry);
  writeFileSync(join(wd, '.github/workflows/sync-entry.yml'), patched);
  for (const args of [
    ['init', '-q', '-b', 'main'],
    ['add', '.'],
    ['-c', 'user.name=t', '-c', 'user.email=t@t', 'commit', '-qm', 'workflows'],
  ]) {
    execFileSync('git', args, { cwd: wd });
  }
}, 60_000);

afterAll(async () => {
  await forge?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('act: repository_dispatch → sync-entry.yml → reusable sync.yml → sync action', () => {
  it('produces the sync pull request in the sandbox', async () => {
    const runs: Promise<{ code: number; log: string }>[] = [];
    forge.onDispatch((d) => {
      if (d.eventType === 'autocode.sync') runs.push(runAct(d));
    });
    const res = await fetch(`${forge.apiUrl}/repos/acme/foundation/dispatches`, {
      method: 'POST',
      headers: { authorization: `token ${forge.tokenForInstallation()}`, 'content-type': 'application/json' },
      body: JSON.stringify({ event_type: 'autocode.sync', client_payload: { dry_run: false } }),
    });
    expect(res.status).toBe(204);
    while (runs.length === 0) await new Promise((r) => setTimeout(r, 20));
    const { code, log } = await runs[0]!;
    if (code !== 0) console.error(log);
    expect(code).toBe(0);
    expect(log).toContain('Job succeeded');
    expect(log).toMatch(/LocalRepositoryCache matched .*InfinityXOneSystems\/autocode with ref main/);
    const pulls = (await (
      await fetch(`${forge.apiUrl}/repos/acme/web/pulls?state=open`, {
        headers: { authorization: `token ${forge.tokenForInstallation()}` },
      })
    ).json()) as { number: number; labels: { name: string }[]; head: { ref: string } }[];
    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.labels.map((l) => l.name)).toContain('sync/foundation');
    const files = (await (
      await fetch(`${forge.apiUrl}/repos/acme/web/pulls/${pulls[0]!.number}/files`, {
        headers: { authorization: `token ${forge.tokenForInstallation()}` },
      })
    ).json()) as { filename: string }[];
    expect(files.map((f) => f.filename)).toContain('docs/guide.md');
  }, 240_000);
});
