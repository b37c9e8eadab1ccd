/**
 * The three-way planner, pure: source snapshot (S), target default-branch tree (T) and the sync state the last
 * sync committed (L) → the file changes, conflicts and the next state. T == L means nobody touched the file
 * since the last sync, so it may be replaced or deleted; T != L is a human edit and `on_conflict` decides.
 */
import type { SyncTarget } from './config.js';
import { parentsOf, pathProblem, selector } from './paths.js';
import type { SyncState } from './state.js';
import { emptyState, sameFiles } from './state.js';
import type { Conflict, FileChange, SourceFile, TreeEntry } from './types.js';

export interface PlanInput {
  target: Pick<SyncTarget, 'paths' | 'exclude' | 'onConflict' | 'deleteOrphaned'>;
  source: { repo: string; sha: string; files: Map<string, SourceFile> };
  /** The target's default-branch tree, recursive. */
  tree: TreeEntry[];
  /** The state the last sync committed to the default branch, if any. */
  state: SyncState | undefined;
  /** Path of the state file, checked like any other path the sync writes. */
  statePath: string;
}

export interface UnsafePath {
  path: string;
  problem: string;
}

export interface TargetPlan {
  /** Sorted by path; the state file is not among them. */
  changes: FileChange[];
  conflicts: Conflict[];
  /** Paths refused before any write; a target with any is not synced. */
  unsafe: UnsafePath[];
  /** Selected source files already identical in the target. */
  unchanged: number;
  selected: number;
  state: SyncState;
}

type Leaf = { sha: string; mode: string; type: TreeEntry['type'] };

type Versioned = { sha: string; mode: string } | { blob: string; mode: string };
const shaOf = (v: Versioned) => ('sha' in v ? v.sha : v.blob);
const same = (a: Versioned, b: Versioned) => shaOf(a) === shaOf(b) && a.mode === b.mode;

export function planTarget(input: PlanInput): TargetPlan {
  const { target, source } = input;
  const selects = selector(target);
  const leaves = new Map<string, Leaf>();
  const dirs = new Set<string>();
  for (const e of input.tree) {
    if (e.type === 'tree') dirs.add(e.path);
    else leaves.set(e.path, { sha: e.sha, mode: e.mode, type: e.type });
  }
  const prev = input.state ?? emptyState(source.repo);
  const next: SyncState = { version: 1, source: source.repo, source_sha: prev.source_sha, files: {} };
  const changes: FileChange[] = [];
  const conflicts: Conflict[] = [];
  const unsafe: UnsafePath[] = [];
  let unchanged = 0;
  let selected = 0;
  const overwrite = target.onConflict === 'overwrite';

  const blocked = (path: string): string | undefined => {
    if (dirs.has(path)) return 'directory';
    for (const parent of parentsOf(path)) {
      const leaf = leaves.get(parent);
      if (leaf?.mode === '120000')
        unsafe.push({ path, problem: `passes through the target's symlink ${parent}` });
      if (leaf) return leaf.mode === '120000' ? 'symlink' : 'file';
    }
    return undefined;
  };

  const sourcePaths = [...source.files.keys()].filter((p) => selects(p)).sort();
  for (const path of sourcePaths) {
    const s = source.files.get(path)!;
    selected++;
    const problem = pathProblem(path);
    if (problem) {
      unsafe.push({ path, problem });
      continue;
    }
    if (s.mode === '120000') {
      unsafe.push({
        path,
        problem:
          'is a symlink in the source (symlinks are never synced: they can point outside the repository)',
      });
      continue;
    }
    const t = leaves.get(path);
    const l = prev.files[path];
    if (t && same(t, s)) {
      unchanged++;
      next.files[path] = { blob: s.sha, mode: s.mode };
      continue;
    }
    const block = blocked(path);
    if (block === 'symlink') continue;
    if (block || t?.type === 'commit') {
      conflicts.push({ path, kind: 'path-blocked', resolution: 'kept' });
      if (l) next.files[path] = l;
      continue;
    }
    const write = (action: 'add' | 'modify') => {
      changes.push({ path, action, mode: s.mode, sha: s.sha });
      next.files[path] = { blob: s.sha, mode: s.mode };
    };
    if (!t) {
      if (!l) write('add');
      else {
        conflicts.push({ path, kind: 'deleted-in-target', resolution: overwrite ? 'overwritten' : 'kept' });
        if (overwrite) write('add');
        else next.files[path] = l;
      }
    } else if (l && same(t, l)) write('modify');
    else {
      conflicts.push({
        path,
        kind: l ? 'edited-in-target' : 'untracked-in-target',
        resolution: overwrite ? 'overwritten' : 'kept',
      });
      if (overwrite) write('modify');
      else if (l) next.files[path] = l;
    }
  }

  const inSource = new Set(sourcePaths);
  for (const [path, l] of Object.entries(prev.files).sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (inSource.has(path)) continue;
    const t = leaves.get(path);
    if (!t || pathProblem(path)) continue; // already gone (or never ours to touch): forget it
    if (same(t, l)) {
      if (target.deleteOrphaned) changes.push({ path, action: 'delete' });
      continue; // not deleting: the file stays and is no longer managed
    }
    const resolution = overwrite && target.deleteOrphaned ? 'overwritten' : 'kept';
    conflicts.push({ path, kind: 'edited-deleted-at-source', resolution });
    if (resolution === 'overwritten') changes.push({ path, action: 'delete' });
  }

  const stateProblem =
    pathProblem(input.statePath) ?? (blocked(input.statePath) ? 'is blocked in the target' : undefined);
  if (stateProblem) unsafe.push({ path: input.statePath, problem: stateProblem });
  if (!sameFiles(prev, next) || !next.source_sha) next.source_sha = source.sha;
  changes.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  return { changes, conflicts, unsafe, unchanged, selected, state: next };
}

/** Leaves of the tree the sync would write: the base tree with the changes and the state file applied. */
export function desiredLeaves(
  tree: TreeEntry[],
  changes: FileChange[],
  stateFile: { path: string; sha: string } | undefined,
): { path: string; mode: string; sha: string }[] {
  const out = new Map<string, { path: string; mode: string; sha: string }>();
  for (const e of tree) if (e.type !== 'tree') out.set(e.path, { path: e.path, mode: e.mode, sha: e.sha });
  for (const c of changes) {
    if (c.action === 'delete') out.delete(c.path);
    else out.set(c.path, { path: c.path, mode: c.mode, sha: c.sha });
  }
  if (stateFile) out.set(stateFile.path, { path: stateFile.path, mode: '100644', sha: stateFile.sha });
  return [...out.values()];
}
