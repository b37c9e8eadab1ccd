/**
 * Source adapters (Node): a git checkout (the action's `actions/checkout` of the foundation repo: tracked files
 * only, modes and blob SHAs straight from `git ls-tree`), a plain directory (walked with lstat, symlinks never
 * followed), or a remote repository cloned shallowly over HTTPS with the App's token in a header (never in the
 * URL or the clone's config).
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, resolve, sep } from 'node:path';
import { promisify } from 'node:util';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import { blobSha } from './git-hash.js';
import type { FileMode, SourceFile, SourceSnapshot } from './types.js';

const run = promisify(execFile);

async function git(cwd: string, args: string[]): Promise<string> {
  try {
    const { stdout } = await run('git', args, {
      cwd,
      maxBuffer: 512 * 1024 * 1024,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
    });
    return stdout;
  } catch (err) {
    const e = err as { code?: string; stderr?: string; message: string };
    if (e.code === 'ENOENT')
      throw new AutocodeError(ErrorCodes.TOOL_MISSING, 'git is not installed', { cause: err });
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      `git ${args[0]} failed in ${cwd}: ${(e.stderr ?? e.message).trim()}`,
      { cause: err },
    );
  }
}

/** Reads many blobs through one `git cat-file --batch` process. */
function batchReader(cwd: string): { read(sha: string): Promise<Uint8Array>; close(): void } {
  const proc = spawn('git', ['cat-file', '--batch'], { cwd, stdio: ['pipe', 'pipe', 'ignore'] });
  let buffer = Buffer.alloc(0);
  const waiting: ((b: Buffer) => void)[] = [];
  let chain: Promise<unknown> = Promise.resolve();
  const pump = () => {
    for (;;) {
      const nl = buffer.indexOf(10);
      if (nl < 0 || !waiting.length) return;
      const header = buffer.subarray(0, nl).toString();
      const size = Number(header.split(' ')[2]);
      if (!Number.isFinite(size)) {
        buffer = buffer.subarray(nl + 1);
        waiting.shift()!(Buffer.alloc(0));
        continue;
      }
      if (buffer.length < nl + 1 + size + 1) return;
      const content = Buffer.from(buffer.subarray(nl + 1, nl + 1 + size));
      buffer = buffer.subarray(nl + 1 + size + 1);
      waiting.shift()!(content);
    }
  };
  proc.stdout.on('data', (d: Buffer) => {
    buffer = Buffer.concat([buffer, d]);
    pump();
  });
  return {
    read(sha) {
      const next = chain.then(
        () =>
          new Promise<Uint8Array>((res) => {
            waiting.push((b) => res(new Uint8Array(b)));
            proc.stdin.write(`${sha}\n`);
          }),
      );
      chain = next;
      return next;
    },
    close: () => proc.stdin.end(),
  };
}

/** The files of HEAD in a git work tree. */
export async function gitSource(dir: string, repo: string): Promise<SourceSnapshot & { close(): void }> {
  const sha = (await git(dir, ['rev-parse', 'HEAD'])).trim();
  const listing = await git(dir, ['ls-tree', '-r', '-z', '--full-tree', 'HEAD']);
  const files = new Map<string, SourceFile>();
  for (const line of listing.split('\0')) {
    const m = /^(\d{6}) (\w+) ([0-9a-f]{40,64})\t(.+)$/s.exec(line);
    if (!m || m[2] !== 'blob') continue; // submodules are not synced
    files.set(m[4]!, { mode: m[1] as FileMode, sha: m[3]! });
  }
  const reader = batchReader(dir);
  return {
    repo,
    sha,
    files,
    read: (path) => {
      const f = files.get(path);
      if (!f) throw new AutocodeError(ErrorCodes.NOT_FOUND, `${path} is not in ${repo}@${sha}`);
      return reader.read(f.sha);
    },
    close: () => reader.close(),
  };
}

/** A plain directory (not a git checkout). Symlinks are reported as such, never followed. */
export async function dirSource(dir: string, repo: string, sha: string): Promise<SourceSnapshot> {
  const root = resolve(dir);
  const files = new Map<string, SourceFile>();
  const walk = async (abs: string): Promise<void> => {
    for (const name of readdirSync(abs).sort()) {
      if (name === '.git') continue;
      const path = join(abs, name);
      const st = lstatSync(path);
      const rel = relative(root, path).split(sep).join('/');
      if (st.isDirectory()) await walk(path);
      else if (st.isSymbolicLink()) {
        // Recorded, never followed: the planner refuses every symlink (one pointing outside would escape).
        files.set(rel, { mode: '120000', sha: await blobSha(new TextEncoder().encode(readlinkSync(path))) });
      } else if (st.isFile()) {
        const mode: FileMode = st.mode & 0o111 ? '100755' : '100644';
        files.set(rel, { mode, sha: await blobSha(new Uint8Array(readFileSync(path))) });
      }
    }
  };
  await walk(root);
  return {
    repo,
    sha,
    files,
    read: async (path) => new Uint8Array(readFileSync(join(root, ...path.split('/')))),
  };
}

/** A local path: a git work tree when it is one, else a plain directory. */
export async function localSource(dir: string, repo: string): Promise<SourceSnapshot & { close?(): void }> {
  if (!existsSync(dir))
    throw new AutocodeError(ErrorCodes.INVALID_INPUT, `source directory ${dir} does not exist`);
  if (existsSync(join(dir, '.git'))) return gitSource(dir, repo);
  return dirSource(dir, repo, 'working-tree');
}

/** owner/repo from a checkout's `origin` remote (https or ssh form), if it has one. */
export async function repoFromRemote(dir: string): Promise<string | undefined> {
  try {
    const url = (await git(dir, ['remote', 'get-url', 'origin'])).trim();
    const m = /[/:]([^/:]+)\/([^/]+?)(?:\.git)?$/.exec(url);
    return m ? `${m[1]}/${m[2]}` : undefined;
  } catch {
    return undefined;
  }
}

/** Shallow clone of `repo` at `ref` (default branch when omitted) into a temp dir; `dispose()` removes it. */
export async function cloneSource(p: {
  gitBaseUrl: string;
  repo: string;
  token: string;
  ref?: string;
}): Promise<SourceSnapshot & { dir: string; dispose(): void }> {
  const dir = mkdtempSync(join(tmpdir(), 'autocode-sync-source-'));
  const header = `Authorization: Basic ${Buffer.from(`x-access-token:${p.token}`).toString('base64')}`;
  const url = `${p.gitBaseUrl.replace(/\/+$/, '')}/${p.repo}.git`;
  try {
    await git(tmpdir(), [
      '-c',
      `http.extraHeader=${header}`,
      'clone',
      '--quiet',
      // Checked out (not --no-checkout): the sync config is read from the source's working tree.
      '--depth',
      '1',
      ...(p.ref ? ['--branch', p.ref] : []),
      url,
      dir,
    ]);
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    throw new AutocodeError(
      ErrorCodes.NOT_FOUND,
      `could not clone the source ${p.repo}${p.ref ? `@${p.ref}` : ''}`,
      {
        cause: err,
        hint: 'check the repository name and that the App is installed on it',
      },
    );
  }
  const snapshot = await gitSource(dir, p.repo);
  return {
    ...snapshot,
    dir,
    dispose: () => {
      snapshot.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
