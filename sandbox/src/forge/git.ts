/**
 * The forge's only door to git data: plumbing commands run against one bare repository, so every SHA the API
 * reports is the one `git` computes. Higher-level tree editing lives in `tree-builder.ts`, diffs in `diff.ts`.
 */
import { spawn } from 'node:child_process';

export interface GitIdentity {
  name: string;
  email: string;
  /** ISO 8601 date. */
  date: string;
}

export interface CommitObject {
  sha: string;
  tree: string;
  parents: string[];
  author: GitIdentity;
  committer: GitIdentity;
  message: string;
  gpgsig: boolean;
}

export interface TreeEntry {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
  path: string;
  size?: number;
}

export interface GitResult {
  code: number;
  stdout: Buffer;
  stderr: string;
}

export const EMPTY_TREE = '4b825dc642cb6eb9a060e54bf8d69288fbee4904';
const SHA_RE = /^[0-9a-f]{40}$/;

export function isSha(value: unknown): value is string {
  return typeof value === 'string' && SHA_RE.test(value);
}

/** Run git with optional stdin; resolve with the exit code (never reject on a non-zero exit). */
export function runGit(
  args: string[],
  opts: { cwd?: string; input?: Buffer | string; env?: Record<string, string> } = {},
): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, {
      cwd: opts.cwd,
      env: { ...process.env, GIT_TERMINAL_PROMPT: '0', LC_ALL: 'C', ...opts.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (c: Buffer) => out.push(c));
    child.stderr.on('data', (c: Buffer) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({ code: code ?? 1, stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8') }),
    );
    child.stdin.on('error', () => {});
    child.stdin.end(opts.input ?? '');
  });
}

function toIso(seconds: string, tz: string): string {
  void tz; // GitHub reports commit dates in UTC.
  return new Date(Number(seconds) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

function parseIdentity(line: string): GitIdentity {
  const m = /^(.*) <(.*)> (\d+) ([+-]\d{4})$/.exec(line);
  if (!m) return { name: line, email: '', date: new Date(0).toISOString() };
  return { name: m[1] ?? '', email: m[2] ?? '', date: toIso(m[3] ?? '0', m[4] ?? '+0000') };
}

function gitDate(iso: string): string {
  return `${Math.floor(Date.parse(iso) / 1000)} +0000`;
}

export class GitRepo {
  constructor(readonly dir: string) {}

  async run(args: string[], opts: { input?: Buffer | string; env?: Record<string, string> } = {}) {
    return runGit(['--git-dir', this.dir, ...args], opts);
  }

  /** Run and return stdout as text; throw on failure (a forge bug or corrupt repo, not a client error). */
  async text(args: string[], input?: Buffer | string): Promise<string> {
    const r = await this.run(args, input === undefined ? {} : { input });
    if (r.code !== 0) throw new Error(`git ${args.join(' ')} failed (${r.code}): ${r.stderr}`);
    return r.stdout.toString('utf8');
  }

  async init(defaultBranch: string): Promise<void> {
    const r = await runGit(['init', '--bare', '--quiet', `--initial-branch=${defaultBranch}`, this.dir]);
    if (r.code !== 0) throw new Error(`git init failed: ${r.stderr}`);
    // Smart HTTP pushes are authorised by the forge itself, not by http-backend's REMOTE_USER check.
    await this.text(['config', 'http.receivepack', 'true']);
    await this.text(['config', 'uploadpack.allowAnySHA1InWant', 'true']);
  }

  async setHead(branch: string): Promise<void> {
    await this.text(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
  }

  async writeBlob(content: Buffer): Promise<string> {
    return (await this.text(['hash-object', '-w', '-t', 'blob', '--stdin'], content)).trim();
  }

  /** Object type, or null when the object does not exist. */
  async objectType(sha: string): Promise<string | null> {
    if (!isSha(sha)) return null;
    const r = await this.run(['cat-file', '-t', sha]);
    return r.code === 0 ? r.stdout.toString().trim() : null;
  }

  async readBlob(sha: string): Promise<Buffer | null> {
    if ((await this.objectType(sha)) !== 'blob') return null;
    return (await this.run(['cat-file', 'blob', sha])).stdout;
  }

  /** One tree level (or all levels with `recursive`, trees included like GitHub's `recursive=1`). */
  async readTree(sha: string, recursive = false): Promise<TreeEntry[]> {
    const args = ['ls-tree', '-z', '-l', ...(recursive ? ['-r', '-t'] : []), sha];
    const out = await this.text(args);
    return out
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const tab = line.indexOf('\t');
        const [mode = '', type = 'blob', objSha = '', size = '-'] = line.slice(0, tab).split(/\s+/);
        const entry: TreeEntry = {
          mode,
          type: type as TreeEntry['type'],
          sha: objSha,
          path: line.slice(tab + 1),
        };
        if (size !== '-') entry.size = Number(size);
        return entry;
      });
  }

  /** Write one tree level; entries carry plain names (no slashes). */
  async mktree(entries: { mode: string; type: string; sha: string; name: string }[]): Promise<string> {
    const input = entries.map((e) => `${e.mode} ${e.type} ${e.sha}\t${e.name}\0`).join('');
    return (await this.text(['mktree', '-z', '--missing'], input)).trim();
  }

  async commitTree(opts: {
    tree: string;
    parents: string[];
    message: string;
    author: GitIdentity;
    committer: GitIdentity;
  }): Promise<string> {
    const args = ['commit-tree', opts.tree, ...opts.parents.flatMap((p) => ['-p', p])];
    const r = await this.run(args, {
      input: opts.message,
      env: {
        GIT_AUTHOR_NAME: opts.author.name,
        GIT_AUTHOR_EMAIL: opts.author.email,
        GIT_AUTHOR_DATE: gitDate(opts.author.date),
        GIT_COMMITTER_NAME: opts.committer.name,
        GIT_COMMITTER_EMAIL: opts.committer.email,
        GIT_COMMITTER_DATE: gitDate(opts.committer.date),
      },
    });
    if (r.code !== 0) throw new Error(`git commit-tree failed: ${r.stderr}`);
    return r.stdout.toString().trim();
  }

  async readCommit(sha: string): Promise<CommitObject | null> {
    if ((await this.objectType(sha)) !== 'commit') return null;
    const raw = (await this.run(['cat-file', 'commit', sha])).stdout.toString('utf8');
    const split = raw.indexOf('\n\n');
    const header = split >= 0 ? raw.slice(0, split) : raw;
    const message = split >= 0 ? raw.slice(split + 2) : '';
    const commit: CommitObject = {
      sha,
      tree: '',
      parents: [],
      author: parseIdentity(''),
      committer: parseIdentity(''),
      message,
      gpgsig: false,
    };
    for (const line of header.split('\n')) {
      if (line.startsWith(' ')) continue; // continuation of a multi-line header (gpgsig)
      const space = line.indexOf(' ');
      const key = line.slice(0, space);
      const value = line.slice(space + 1);
      if (key === 'tree') commit.tree = value;
      else if (key === 'parent') commit.parents.push(value);
      else if (key === 'author') commit.author = parseIdentity(value);
      else if (key === 'committer') commit.committer = parseIdentity(value);
      else if (key === 'gpgsig' || key === 'gpgsig-sha256') commit.gpgsig = true;
    }
    return commit;
  }

  /** Resolve a branch, tag, ref or SHA to a commit SHA. */
  async resolveCommit(rev: string): Promise<string | null> {
    if (!rev || rev.startsWith('-')) return null;
    const r = await this.run(['rev-parse', '--verify', '--quiet', `${rev}^{commit}`]);
    return r.code === 0 ? r.stdout.toString().trim() : null;
  }

  /** Exact ref lookup (`refs/heads/x`), no DWIM. */
  async refSha(ref: string): Promise<string | null> {
    const r = await this.run(['show-ref', '--verify', '--hash', ref]);
    return r.code === 0 ? r.stdout.toString().trim() : null;
  }

  async refs(prefix = 'refs/'): Promise<{ ref: string; sha: string; type: string }[]> {
    const out = await this.text([
      'for-each-ref',
      '--format=%(refname)%00%(objectname)%00%(objecttype)',
      prefix,
    ]);
    return out
      .split('\n')
      .filter(Boolean)
      .map((line) => {
        const [ref = '', sha = '', type = ''] = line.split('\0');
        return { ref, sha, type };
      });
  }

  /** Compare-and-swap ref update; returns false when `oldSha` no longer matches. */
  async updateRef(ref: string, sha: string, oldSha?: string | null): Promise<boolean> {
    const args = ['update-ref', ref, sha];
    if (oldSha !== undefined) args.push(oldSha ?? '0'.repeat(40));
    return (await this.run(args)).code === 0;
  }

  async deleteRef(ref: string): Promise<boolean> {
    return (await this.run(['update-ref', '-d', ref])).code === 0;
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await this.run(['merge-base', '--is-ancestor', ancestor, descendant])).code === 0;
  }

  async mergeBase(a: string, b: string): Promise<string | null> {
    const r = await this.run(['merge-base', a, b]);
    return r.code === 0 ? r.stdout.toString().trim() : null;
  }

  /** Three-way merge without a worktree (`git merge-tree --write-tree`, git ≥ 2.38). */
  async mergeTree(ours: string, theirs: string): Promise<{ tree: string; clean: boolean }> {
    const r = await this.run(['merge-tree', '--write-tree', '--no-messages', ours, theirs]);
    if (r.code !== 0 && r.code !== 1) throw new Error(`git merge-tree failed: ${r.stderr}`);
    return { tree: r.stdout.toString().split('\n')[0]?.trim() ?? '', clean: r.code === 0 };
  }

  /** Commits reachable from `include` but not from `exclude`, newest first (like `git log`). */
  async revList(include: string, exclude?: string | null, opts: { path?: string; max?: number } = {}) {
    const args = ['rev-list', '--topo-order', include];
    if (exclude) args.push(`^${exclude}`);
    if (opts.max) args.splice(1, 0, `--max-count=${opts.max}`);
    if (opts.path) args.push('--', opts.path);
    const out = await this.text(args);
    return out.split('\n').filter(Boolean);
  }

  /** Total size of the repository's objects in KiB (GitHub's `size`). */
  async sizeKb(): Promise<number> {
    const out = await this.text(['count-objects', '-v']);
    const loose = Number(/size: (\d+)/.exec(out)?.[1] ?? 0);
    const packed = Number(/size-pack: (\d+)/.exec(out)?.[1] ?? 0);
    return loose + packed;
  }
}
