/**
 * Path safety and selection. Every path the sync reads or writes is repository-relative, uses `/`, has no
 * `.` / `..` segments, never reaches into `.git/`, and never passes through a symlink: git trees accept such
 * names from the API, and a checkout would then write outside the work tree or into git's own metadata.
 */
import { minimatch } from 'minimatch';
import type { SyncTarget } from './config.js';

/** Where the sync keeps its per-source state in each target (never synced from the source itself). */
export const STATE_DIR = '.github/autocode-sync';

/** Why a repository path is unsafe, or undefined when it is fine. */
export function pathProblem(path: string): string | undefined {
  if (!path) return 'is empty';
  if (path.includes('\0')) return 'contains a NUL byte';
  if (path.includes('\\')) return 'contains a backslash';
  if (path.startsWith('/') || /^[A-Za-z]:/.test(path)) return 'is absolute';
  const parts = path.split('/');
  if (parts.some((p) => p === '..')) return 'contains ".."';
  if (parts.some((p) => p === '' || p === '.')) return 'contains an empty or "." segment';
  if (parts.some((p) => p.toLowerCase() === '.git')) return 'reaches into .git/';
  return undefined;
}

/** Why a glob is unsafe: the same rules as paths, brace alternatives and all. */
export function globProblem(glob: string): string | undefined {
  if (glob.startsWith('/') || /^[A-Za-z]:/.test(glob)) return `glob "${glob}" is absolute`;
  if (glob.includes('\\')) return `glob "${glob}" contains a backslash`;
  for (const expanded of minimatch.braceExpand(glob)) {
    const parts = expanded.split('/');
    if (parts.includes('..')) return `glob "${glob}" contains ".."`;
    if (parts.some((p) => p.toLowerCase() === '.git')) return `glob "${glob}" reaches into .git/`;
  }
  return undefined;
}

const OPTIONS = { dot: true, nonegate: true, nocomment: true } as const;

/** A compiled `paths` + `exclude` selection (minimatch, dotfiles included). */
export function selector(target: Pick<SyncTarget, 'paths' | 'exclude'>): (path: string) => boolean {
  const include = target.paths.map((p) => new minimatch.Minimatch(p, OPTIONS));
  const exclude = target.exclude.map((p) => new minimatch.Minimatch(p, OPTIONS));
  return (path) =>
    !path.startsWith(`${STATE_DIR}/`) &&
    include.some((m) => m.match(path)) &&
    !exclude.some((m) => m.match(path));
}

/** Each proper prefix of a path: `a/b/c` → `a`, `a/b`. */
export function parentsOf(path: string): string[] {
  const parts = path.split('/');
  return parts.slice(1).map((_, i) => parts.slice(0, i + 1).join('/'));
}
