/** Plain data shared by the planner, the adapters and the reports. */

export type FileMode = '100644' | '100755' | '120000';

/** A file of the source snapshot: git mode and blob SHA (the same bytes hash to the same SHA in any repo). */
export interface SourceFile {
  mode: FileMode;
  sha: string;
}

/** The source at one commit: its files and a way to read their bytes (local checkout or clone). */
export interface SourceSnapshot {
  /** owner/name */
  repo: string;
  /** Commit SHA the files come from. */
  sha: string;
  files: Map<string, SourceFile>;
  read(path: string): Promise<Uint8Array>;
}

/** One entry of a target's recursive tree (GET /git/trees/{sha}?recursive=1). */
export interface TreeEntry {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

/** A change the sync writes: set a file (from the source) or delete it. */
export type FileChange =
  | { path: string; action: 'add' | 'modify'; mode: FileMode; sha: string }
  | { path: string; action: 'delete' };

export type ConflictKind =
  /** The target file differs from what the last sync wrote. */
  | 'edited-in-target'
  /** The last sync wrote it; people deleted it since. */
  | 'deleted-in-target'
  /** The target has its own file where the source has one, and no sync ever wrote it. */
  | 'untracked-in-target'
  /** Deleted at the source, but edited in the target since the last sync. */
  | 'edited-deleted-at-source'
  /** A file, submodule or directory of the target sits where the change needs something else. */
  | 'path-blocked';

export interface Conflict {
  path: string;
  kind: ConflictKind;
  /** kept: the target file was left alone; overwritten: on_conflict=overwrite replaced it. */
  resolution: 'kept' | 'overwritten';
}
