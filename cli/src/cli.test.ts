import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const bin = fileURLToPath(new URL('../bin/autocode.js', import.meta.url));
const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

function autocode(args: string[], cwd?: string) {
  return spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', cwd, timeout: 60_000 });
}

describe('autocode CLI', () => {
  it('prints help listing the commands', () => {
    const r = autocode(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage: autocode');
    expect(r.stdout).toContain('doctor');
  });

  it('prints its version', () => {
    const r = autocode(['--version']);
    expect(r.status).toBe(0);
    expect(r.stdout.trim()).toBe(pkg.version);
  });

  it('exits 2 with a hint on an unknown command', () => {
    const r = autocode(['frobnicate']);
    expect(r.status).toBe(2);
    expect(r.stderr).toContain("error [INVALID_INPUT]: unknown command 'frobnicate'");
    expect(r.stderr).toContain('hint: run `autocode --help`');
  });

  it('doctor reports the toolchain as JSON', () => {
    const r = autocode(['doctor', '--json']);
    const checks = JSON.parse(r.stdout) as { name: string; ok: boolean }[];
    expect(checks.map((c) => c.name)).toEqual(
      expect.arrayContaining(['node', 'git', 'opa', 'actionlint', 'act', 'chromium']),
    );
    expect(checks.find((c) => c.name === 'node')?.ok).toBe(true);
  });

  it('doctor fails on an invalid autocode.yaml and names the file, line and key', () => {
    const dir = mkdtempSync(join(tmpdir(), 'autocode-doctor-'));
    writeFileSync(join(dir, 'autocode.yaml'), 'edge:\n  url: https://edge.example\n  audiance: x\n');
    const r = autocode(['doctor', '--dir', dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('autocode.yaml:3:3: edge.audiance: unknown key "audiance"');
  });

  it('doctor accepts a valid autocode.yaml', () => {
    const dir = mkdtempSync(join(tmpdir(), 'autocode-doctor-'));
    writeFileSync(
      join(dir, 'autocode.yaml'),
      'llm:\n  providers:\n    - { name: local, kind: openai-compatible, model: llama3 }\n',
    );
    const r = autocode(['doctor', '--json', '--dir', dir]);
    const checks = JSON.parse(r.stdout) as { name: string; ok: boolean }[];
    expect(checks.find((c) => c.name === 'autocode.yaml')?.ok).toBe(true);
  });
});
