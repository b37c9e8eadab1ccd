/**
 * Run a committed action bundle (`actions/<name>/dist/index.js`) the way the runner does: a node process with
 * `INPUT_*` variables, GITHUB_OUTPUT / GITHUB_STEP_SUMMARY files and the Actions OIDC request variables (from
 * the forge's issuer). Returns exit code, outputs and every byte it logged, so tests can scan logs for secrets.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Forge } from '@autocode/sandbox';
import { root } from './support.js';

export interface ActionRun {
  code: number;
  stdout: string;
  stderr: string;
  summary: string;
  outputs: Record<string, string>;
  /** Everything a person or a log collector could see. */
  logs: string;
}

function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^([^\n<=]+)<<(\S+)\n([\s\S]*?)\n\2$/gm;
  for (const m of text.matchAll(re)) out[m[1]!] = m[3]!;
  return out;
}

export async function runActionBundle(
  name: string,
  opts: {
    forge: Forge;
    repository: string;
    inputs: Record<string, string>;
    env?: Record<string, string>;
    cwd?: string;
  },
): Promise<ActionRun> {
  const dir = mkdtempSync(join(tmpdir(), `run-${name}-`));
  const output = join(dir, 'output');
  const summary = join(dir, 'summary');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const oidc = opts.forge.oidc.requestToken({ repository: opts.repository, aud: 'autocode-edge' });
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? dir,
    GITHUB_ACTIONS: 'true',
    GITHUB_OUTPUT: output,
    GITHUB_STEP_SUMMARY: summary,
    GITHUB_REPOSITORY: opts.repository,
    GITHUB_API_URL: opts.forge.apiUrl,
    RUNNER_TEMP: dir,
    ACTIONS_ID_TOKEN_REQUEST_URL: oidc.url,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: oidc.token,
    ...Object.fromEntries(
      Object.entries(opts.inputs).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v]),
    ),
    ...(opts.env ?? {}),
  };
  const child = spawn(process.execPath, [join(root, 'actions', name, 'dist', 'index.js')], {
    cwd: opts.cwd ?? root,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const code = await new Promise<number>((resolve) => child.on('close', (c) => resolve(c ?? 1)));
  const result: ActionRun = {
    code,
    stdout,
    stderr,
    summary: readFileSync(summary, 'utf8'),
    outputs: parseOutputs(readFileSync(output, 'utf8')),
    logs: '',
  };
  result.logs = [stdout, stderr, result.summary, readFileSync(output, 'utf8')].join('\n');
  rmSync(dir, { recursive: true, force: true });
  return result;
}
