/**
 * Running the configured checks (lint, tests) on model-written code through `@actions/exec`, confined:
 * - a wall-clock limit (default 10 min, the seed's sandbox limit) through coreutils `timeout`, which signals
 *   the whole process group and escalates to SIGKILL 10 s later;
 * - a memory cap (default 2 GiB, the seed's limit) as RLIMIT_DATA (`ulimit -d`) on every process — V8 and
 *   the JVM reserve large address ranges, so RLIMIT_AS would break them where RLIMIT_DATA does not;
 * - no network where the host allows it: `unshare -n` (root) or `unshare -rn` (unprivileged user
 *   namespaces); otherwise the checks run with the host network and the report says so;
 * - a scrubbed environment: PATH, a fresh HOME and locale only — never the job's tokens or LLM keys.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as exec from '@actions/exec';
import type { Logger } from '@autocode/toolkit';

export interface CheckCommand {
  name: string;
  run: string;
}

export interface CheckResult {
  name: string;
  command: string;
  passed: boolean;
  exitCode: number;
  timedOut: boolean;
  durationMs: number;
  /** The last `MAX_OUTPUT` characters of stdout and stderr, interleaved as produced. */
  output: string;
}

export interface SandboxPlan {
  /** argv prefix that isolates the network (empty when unavailable). */
  netPrefix: string[];
  network: 'isolated' | 'host';
  timeoutTool: boolean;
  notes: string[];
}

export interface CheckOptions {
  timeoutMs?: number;
  memoryBytes?: number;
  plan: SandboxPlan;
  log: Logger;
  /** Stream check output to the job log (default true). */
  echo?: boolean;
}

export type CheckRunner = (commands: CheckCommand[], cwd: string) => Promise<CheckResult[]>;

export const DEFAULT_CHECK_TIMEOUT_MS = 10 * 60_000;
export const DEFAULT_CHECK_MEMORY_BYTES = 2 * 1024 ** 3;
const MAX_OUTPUT = 20_000;

const works = (cmd: string, args: string[]) =>
  spawnSync(cmd, args, { stdio: 'ignore', timeout: 5000 }).status === 0;

/** Find out once what confinement this host offers. */
export function probeSandbox(): SandboxPlan {
  const notes: string[] = [];
  let netPrefix: string[] = [];
  if (works('unshare', ['-n', 'true'])) netPrefix = ['unshare', '-n', '--'];
  else if (works('unshare', ['-rn', 'true'])) netPrefix = ['unshare', '-rn', '--'];
  else
    notes.push(
      'network isolation unavailable here (unshare -n / -rn failed): checks ran with the host network',
    );
  const timeoutTool = works('timeout', ['--version']);
  if (!timeoutTool)
    notes.push('coreutils `timeout` is missing: the check time limit is enforced by the runner only');
  return { netPrefix, network: netPrefix.length ? 'isolated' : 'host', timeoutTool, notes };
}

/** The argv a check runs as (exported for tests and the report). */
export function checkArgv(
  command: string,
  options: Pick<CheckOptions, 'timeoutMs' | 'memoryBytes' | 'plan'>,
): string[] {
  const seconds = Math.ceil((options.timeoutMs ?? DEFAULT_CHECK_TIMEOUT_MS) / 1000);
  const kib = Math.floor((options.memoryBytes ?? DEFAULT_CHECK_MEMORY_BYTES) / 1024);
  // The command travels as $1, never spliced into the script text.
  const script = `ulimit -d ${kib} || exit 125; exec bash -c "$1"`;
  return [
    ...(options.plan.timeoutTool ? ['timeout', '-k', '10s', `${seconds}s`] : []),
    ...options.plan.netPrefix,
    'bash',
    '-c',
    script,
    'autocode-check',
    command,
  ];
}

export function createCheckRunner(options: CheckOptions): CheckRunner {
  return async (commands, cwd) => {
    const results: CheckResult[] = [];
    const home = mkdtempSync(join(tmpdir(), 'autocode-check-home-'));
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '/usr/local/bin:/usr/bin:/bin',
      HOME: home,
      LANG: 'C.UTF-8',
      CI: 'true',
      TERM: 'dumb',
    };
    for (const check of commands) {
      const [cmd, ...args] = checkArgv(check.run, options);
      let output = '';
      const keep = (data: Buffer) => {
        output = (output + data.toString('utf8')).slice(-MAX_OUTPUT);
      };
      const started = Date.now();
      options.log.info(`check ${check.name}: ${check.run}`);
      const { exitCode } = await exec.getExecOutput(cmd!, args, {
        cwd,
        env,
        ignoreReturnCode: true,
        silent: options.echo === false,
        listeners: { stdout: keep, stderr: keep },
      });
      // 124: `timeout` fired; 137: it escalated to SIGKILL.
      const timedOut = options.plan.timeoutTool && (exitCode === 124 || exitCode === 137);
      results.push({
        name: check.name,
        command: check.run,
        passed: exitCode === 0,
        exitCode,
        timedOut,
        durationMs: Date.now() - started,
        output: timedOut
          ? `${output}\n[autocode: the check exceeded its time limit and was stopped]`
          : output,
      });
    }
    return results;
  };
}

/** Failing checks as text for the fix-up prompt and the failure issue. */
export function failingOutput(results: CheckResult[]): string {
  return results
    .filter((r) => !r.passed)
    .map(
      (r) =>
        `## ${r.name} (\`${r.command}\`) exited ${r.exitCode}${r.timedOut ? ' (time limit)' : ''}\n${r.output.trim()}`,
    )
    .join('\n\n');
}
