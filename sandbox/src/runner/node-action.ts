/**
 * Run a JavaScript action the way the Actions runner does: `node <main>` with each input as `INPUT_<NAME>`
 * (upper-cased, spaces → `_`, hyphens kept, as `@actions/core` reads them), the runner's `GITHUB_*` files
 * (`GITHUB_OUTPUT`, `GITHUB_STEP_SUMMARY`, `GITHUB_ENV`, `GITHUB_STATE`, `GITHUB_PATH`) and workflow commands on
 * stdout (`::error::`, `::add-mask::`). Bundles target node24 and must also run on this machine's Node.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface NodeActionRun {
  code: number;
  outputs: Record<string, string>;
  summary: string;
  /** Messages of `::error::` commands, in order (what the run's annotations would show). */
  errors: string[];
  timedOut: boolean;
}

export interface NodeActionOptions {
  main: string;
  inputs: Record<string, string>;
  /** The step's full environment except inputs and the runner files (PATH, GITHUB_*, secrets the step maps). */
  env: Record<string, string>;
  cwd: string;
  tempDir: string;
  timeoutMs: number;
  /** One line of the step's output, masked. */
  log: (line: string) => void;
  /** Values to mask in the log from the start (secrets, tokens). */
  masks: string[];
  /** Stops the step (the runner shutting down). */
  signal?: AbortSignal;
}

/** `name=value` lines and `name<<DELIM` … `DELIM` blocks (the GITHUB_OUTPUT / GITHUB_ENV file format). */
export function parseCommandFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const heredoc = /^([^=<]+)<<(.+)$/.exec(line);
    if (heredoc) {
      const end = lines.indexOf(heredoc[2]!, i + 1);
      if (end < 0) break;
      out[heredoc[1]!] = lines.slice(i + 1, end).join('\n');
      i = end;
      continue;
    }
    const eq = line.indexOf('=');
    if (eq > 0) out[line.slice(0, eq)] = line.slice(eq + 1);
  }
  return out;
}

const unescapeData = (s: string) => s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');

export function inputEnvName(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

export async function runNodeAction(opts: NodeActionOptions): Promise<NodeActionRun> {
  const dir = mkdtempSync(join(opts.tempDir, 'step-'));
  const files = Object.fromEntries(
    ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_ENV', 'GITHUB_STATE', 'GITHUB_PATH'].map((k) => {
      const file = join(dir, k.toLowerCase());
      writeFileSync(file, '');
      return [k, file];
    }),
  );
  const masks = opts.masks.filter((m) => m.length >= 4);
  const mask = (s: string) => masks.reduce((t, m) => t.split(m).join('***'), s);
  const errors: string[] = [];
  const env: Record<string, string> = { ...opts.env, ...files };
  for (const [k, v] of Object.entries(opts.inputs)) env[inputEnvName(k)] = v;

  const child = spawn(process.execPath, [opts.main], {
    cwd: opts.cwd,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const onLine = (line: string) => {
    const cmd = /^::([\w-]+)(?: [^:]*)?::(.*)$/.exec(line);
    if (cmd?.[1] === 'add-mask') {
      masks.push(unescapeData(cmd[2]!));
      return;
    }
    if (cmd?.[1] === 'error') errors.push(unescapeData(cmd[2]!));
    opts.log(mask(line));
  };
  const pump = (stream: NodeJS.ReadableStream) => {
    let buffered = '';
    stream.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      lines.forEach(onLine);
    });
    stream.on('end', () => buffered && onLine(buffered));
  };
  pump(child.stdout);
  pump(child.stderr);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGTERM');
  }, opts.timeoutMs);
  const abort = () => child.kill('SIGTERM');
  opts.signal?.addEventListener('abort', abort, { once: true });
  const code = await new Promise<number>((resolve) => {
    child.on('error', (err) => {
      errors.push(err.message);
      resolve(127);
    });
    child.on('close', (c) => resolve(c ?? 1));
  });
  clearTimeout(timer);
  opts.signal?.removeEventListener('abort', abort);
  const result: NodeActionRun = {
    code: timedOut ? 1 : code,
    outputs: parseCommandFile(readFileSync(files.GITHUB_OUTPUT!, 'utf8')),
    summary: mask(readFileSync(files.GITHUB_STEP_SUMMARY!, 'utf8')),
    errors: errors.map(mask),
    timedOut,
  };
  rmSync(dir, { recursive: true, force: true });
  return result;
}
