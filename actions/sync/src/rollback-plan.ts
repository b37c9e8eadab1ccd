/**
 * Rollback planning, pure: bring every path the sync manages back to how it was in a reference tree R (just
 * before the last landed sync, or right after the sync of a chosen source commit). The same three-way guard as a
 * sync: a file people changed since the last sync is left alone and reported, never overwritten.
 */
import type { SyncState } from './state.js';
import type { Conflict, FileChange, FileMode, TreeEntry } from './types.js';

export interface RollbackPlanInput {
  /** The target's current default-branch tree. */
  tree: TreeEntry[];
  /** The state the last sync committed (current). */
  state: SyncState;
  /** The reference tree to restore from, and the sync state it held (absent: before the first sync). */
  refTree: TreeEntry[];
  refState: SyncState | undefined;
}

export interface RollbackPlan {
  changes: FileChange[];
  conflicts: Conflict[];
  /** The state after the rollback: the reference state, keeping entries for files left as people edited them. */
  state: SyncState;
}

const leavesOf = (tree: TreeEntry[]) =>
  new Map(tree.filter((e) => e.type === 'blob').map((e) => [e.path, { sha: e.sha, mode: e.mode }]));

export function planRollback(input: RollbackPlanInput): RollbackPlan {
  const now = leavesOf(input.tree);
  const ref = leavesOf(input.refTree);
  const refFiles = input.refState?.files ?? {};
  const managed = [...new Set([...Object.keys(input.state.files), ...Object.keys(refFiles)])].sort();
  const changes: FileChange[] = [];
  const conflicts: Conflict[] = [];
  const files: SyncState['files'] = { ...refFiles };
  for (const path of managed) {
    const t = now.get(path);
    const r = ref.get(path);
    const l = input.state.files[path];
    if (t?.sha === r?.sha && t?.mode === r?.mode) continue;
    // Untouched since the last sync (or absent both then and now): safe to restore.
    const untouched = l ? t?.sha === l.blob && t?.mode === l.mode : !t;
    if (!untouched) {
      conflicts.push({ path, kind: t ? 'edited-in-target' : 'deleted-in-target', resolution: 'kept' });
      if (l) files[path] = l;
      else delete files[path];
      continue;
    }
    if (r) changes.push({ path, action: t ? 'modify' : 'add', mode: r.mode as FileMode, sha: r.sha });
    else changes.push({ path, action: 'delete' });
  }
  const state: SyncState = {
    version: 1,
    source: input.state.source,
    source_sha: input.refState?.source_sha ?? '',
    files,
  };
  return { changes, conflicts, state };
}
