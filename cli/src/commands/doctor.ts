/**
 * `autocode doctor`: what this machine has (node, git, go, opa, actionlint, act, chromium) and whether the
 * config files in the working directory are valid. Exit 1 when something required is missing or invalid.
 */
import type { Command } from 'commander';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { isAutocodeError, markdownTable, parseConfig } from '@autocode/toolkit';
import { findTool, pinnedTools } from '../env.js';
import { configFiles } from '../config-files.js';

interface Check {
  name: string;
  ok: boolean;
  required: boolean;
  detail: string;
}

function versionOf(bin: string, args: string[]): string {
  const r = spawnSync(bin, args, { encoding: 'utf8', timeout: 10_000 });
  const text = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim().split('\n')[0] ?? '';
  return r.status === 0 ? text : `present but "${args.join(' ')}" failed`;
}

export function toolChecks(): Check[] {
  const checks: Check[] = [];
  const [major] = process.versions.node.split('.').map(Number);
  checks.push({
    name: 'node',
    ok: (major ?? 0) >= 20,
    required: true,
    detail: `v${process.versions.node} (need ≥ 20)`,
  });
  for (const [name, args, required] of [
    ['git', ['--version'], true],
    ['go', ['version'], false],
  ] as const) {
    const bin = findTool(name);
    checks.push({ name, ok: !!bin, required, detail: bin ? versionOf(bin, [...args]) : 'not found on PATH' });
  }
  const versionArgs: Record<string, string[]> = {
    opa: ['version'],
    actionlint: ['-version'],
    act: ['--version'],
    gitleaks: ['version'],
  };
  for (const [name, spec] of Object.entries(pinnedTools().go)) {
    const bin = findTool(name);
    const fix = `run \`npm run setup\` (go install ${spec.module}@${spec.version})`;
    checks.push({
      name,
      ok: !!bin,
      required: false,
      detail: bin ? `${versionOf(bin, versionArgs[name] ?? ['--version'])} (${bin})` : `missing: ${fix}`,
    });
  }
  const chromium = pinnedTools().apt.chromium?.binary ?? '/usr/bin/chromium';
  checks.push({
    name: 'chromium',
    ok: existsSync(chromium),
    required: false,
    detail: existsSync(chromium)
      ? versionOf(chromium, ['--version'])
      : 'missing: apt-get install -y chromium (browser tests only)',
  });
  return checks;
}

export function configChecks(dir: string): Check[] {
  return configFiles.flatMap(({ file, schema, description }): Check[] => {
    const path = resolve(dir, file);
    if (!existsSync(path)) return [];
    try {
      parseConfig(readFileSync(path, 'utf8'), file, schema);
      return [{ name: file, ok: true, required: true, detail: `valid ${description}` }];
    } catch (err) {
      const detail = isAutocodeError(err) ? err.message : String(err);
      return [{ name: file, ok: false, required: true, detail }];
    }
  });
}

export function registerDoctor(program: Command): void {
  program
    .command('doctor')
    .description('check the local toolchain (node, git, go, opa, actionlint, act, chromium) and config files')
    .option('-C, --dir <dir>', 'directory whose config files to validate', '.')
    .option('--json', 'print the checks as JSON')
    .action((opts: { dir: string; json?: boolean }) => {
      const checks = [...toolChecks(), ...configChecks(opts.dir)];
      if (opts.json) console.log(JSON.stringify(checks, null, 2));
      else {
        console.log(
          markdownTable(
            ['check', 'status', 'detail'],
            checks.map((c) => [c.name, c.ok ? 'ok' : c.required ? 'FAIL' : 'missing', c.detail]),
          ),
        );
      }
      const failed = checks.filter((c) => !c.ok && c.required);
      if (failed.length) {
        console.error(
          `doctor: ${failed.length} required check(s) failed: ${failed.map((c) => c.name).join(', ')}`,
        );
        process.exitCode = 1;
      }
    });
}
