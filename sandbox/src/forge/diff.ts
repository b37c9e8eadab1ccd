/**
 * File-level diffs between two commits in GitHub's `diff-entry` terms (status, additions, deletions and the
 * per-file `patch`, which is the unified diff's hunks without the `diff --git` header lines).
 */
import type { GitRepo } from './git.js';

export interface FileDiff {
  filename: string;
  previousFilename?: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed' | 'unchanged';
  additions: number;
  deletions: number;
  /** Blob SHA on the head side (the base side for removals). */
  sha: string;
  patch?: string;
}

const STATUS: Record<string, FileDiff['status']> = {
  A: 'added',
  D: 'removed',
  M: 'modified',
  R: 'renamed',
  C: 'copied',
  T: 'changed',
};

/** `git diff --raw -z` records: ":old new oldsha newsha X\0path\0[path2\0]". */
function parseRaw(out: string): { status: string; oldSha: string; newSha: string; paths: string[] }[] {
  const parts = out.split('\0');
  const rows = [];
  for (let i = 0; i < parts.length;) {
    const meta = parts[i++];
    if (!meta || !meta.startsWith(':')) continue;
    const [, , oldSha = '', newSha = '', code = 'M'] = meta.slice(1).split(' ');
    const letter = code[0] ?? 'M';
    const paths = [parts[i++] ?? ''];
    if (letter === 'R' || letter === 'C') paths.push(parts[i++] ?? '');
    rows.push({ status: letter, oldSha, newSha, paths });
  }
  return rows;
}

/** `git diff --numstat -z`: "add\tdel\tpath\0" or, for renames, "add\tdel\t\0old\0new\0". */
function parseNumstat(out: string): { additions: number; deletions: number }[] {
  const parts = out.split('\0');
  const rows = [];
  for (let i = 0; i < parts.length;) {
    const head = parts[i++];
    if (!head) continue;
    const [add = '0', del = '0', path = ''] = head.split('\t');
    if (path === '') i += 2;
    rows.push({ additions: add === '-' ? 0 : Number(add), deletions: del === '-' ? 0 : Number(del) });
  }
  return rows;
}

/** Split a full patch into per-file hunks, in the same order as the raw listing. */
function splitPatch(out: string): (string | undefined)[] {
  const chunks = out.split(/^diff --git /m).slice(1);
  return chunks.map((chunk) => {
    const at = chunk.search(/^@@ /m);
    if (at < 0) return undefined; // binary, mode-only or pure rename: GitHub omits `patch`
    return chunk.slice(at).replace(/\n$/, '');
  });
}

export async function diffFiles(git: GitRepo, base: string, head: string): Promise<FileDiff[]> {
  const common = ['-M', '--no-color', '--no-ext-diff', base, head];
  const raw = parseRaw(await git.text(['diff', '--raw', '-z', '--abbrev=40', ...common]));
  const stats = parseNumstat(await git.text(['diff', '--numstat', '-z', ...common]));
  const patches = splitPatch(await git.text(['diff', '--patch', '--full-index', ...common]));
  return raw.map((row, i) => {
    const status = STATUS[row.status] ?? 'modified';
    const filename = row.paths[row.paths.length - 1] ?? '';
    const file: FileDiff = {
      filename,
      status,
      additions: stats[i]?.additions ?? 0,
      deletions: stats[i]?.deletions ?? 0,
      sha: status === 'removed' ? row.oldSha : row.newSha,
    };
    if (row.paths.length > 1) file.previousFilename = row.paths[0];
    const patch = patches[i];
    if (patch !== undefined) file.patch = patch;
    return file;
  });
}
