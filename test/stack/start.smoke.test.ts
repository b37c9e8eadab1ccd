/**
 * `npm start` as a new user runs it: `node scripts/start.mjs` (setup, doctor, then `autocode up`), here on a
 * temporary state directory and free ports. The printed app URL serves the PWA and `/health`; Ctrl+C (SIGINT)
 * stops everything and the process exits 0.
 */
import { afterAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '@autocode/sandbox/stack';

const stateDir = mkdtempSync(join(tmpdir(), 'autocode-start-'));
let child: ChildProcess | undefined;
let output = '';

afterAll(() => {
  if (child && child.exitCode === null) child.kill('SIGKILL');
  rmSync(stateDir, { recursive: true, force: true });
});

function waitFor(pattern: RegExp, ms: number): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in time; output:\n${output}`)), ms);
    const check = () => {
      const m = pattern.exec(output);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child!.stdout!.on('data', check);
    child!.on('exit', () => reject(new Error(`start exited early; output:\n${output}`)));
    check();
  });
}

describe('npm start', () => {
  it('prints a working app URL and stops cleanly on Ctrl+C', async () => {
    const ports = ['--port', '--login-port', '--keys-port', '--forge-port'].flatMap((f) => [f, '0']);
    child = spawn(
      process.execPath,
      [join(REPO_ROOT, 'scripts/start.mjs'), '--state-dir', stateDir, ...ports],
      {
        cwd: REPO_ROOT,
        env: { ...process.env, FORCE_COLOR: '0' },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
    const [, app] = await waitFor(/App \(PWA\)\s+(http:\/\/\S+)/, 240_000);
    expect(output).toContain('Try this first:');
    expect(output).toMatch(/approver\s+Aaron Approver\s+approver/);
    const health = await fetch(new URL('/health', app));
    expect(await health.json()).toEqual({ ok: true });
    const index = await fetch(app!);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('<div id="root"');
    const exited = new Promise<number | null>((r) => child!.on('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(0);
    expect(output).toContain('stopping');
  }, 300_000);
});
