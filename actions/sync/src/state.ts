/**
 * The sync state committed in each target: per synced path, the blob and mode the last sync wrote. It is what
 * makes conflicts detectable three-way: a target file that differs from it was edited by people. Serialised
 * deterministically (sorted keys, no timestamps) so an unchanged sync produces a byte-identical file.
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import { STATE_DIR } from './paths.js';
import type { FileMode } from './types.js';

export interface StateFile {
  blob: string;
  mode: FileMode;
}

export interface SyncState {
  version: 1;
  /** owner/name of the source repository. */
  source: string;
  /** The source commit of the last sync that changed files. */
  source_sha: string;
  files: Record<string, StateFile>;
}

export function statePath(sourceRepo: string): string {
  return `${STATE_DIR}/${sourceRepo.toLowerCase()}.json`;
}

export function emptyState(source: string): SyncState {
  return { version: 1, source, source_sha: '', files: {} };
}

export function parseState(text: string, file: string): SyncState {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw stateError(file, `is not JSON (${(err as Error).message})`, err);
  }
  const s = value as Partial<SyncState>;
  if (!s || s.version !== 1 || typeof s.source !== 'string' || typeof s.files !== 'object' || !s.files) {
    throw stateError(file, 'is not an autocode sync state (version 1)');
  }
  for (const [path, f] of Object.entries(s.files)) {
    if (!f || typeof f.blob !== 'string' || !/^[0-9a-f]{40,64}$/.test(f.blob)) {
      throw stateError(file, `has an invalid entry for ${path}`);
    }
  }
  return { version: 1, source: s.source, source_sha: String(s.source_sha ?? ''), files: s.files };
}

function stateError(file: string, problem: string, cause?: unknown): AutocodeError {
  return new AutocodeError(ErrorCodes.CONFIG_INVALID, `the sync state ${file} ${problem}`, {
    cause,
    hint: `restore ${file} from the last sync commit, or delete it to treat the target as never synced`,
  });
}

export function serializeState(state: SyncState): string {
  const files: Record<string, StateFile> = {};
  for (const path of Object.keys(state.files).sort()) {
    const f = state.files[path]!;
    files[path] = { blob: f.blob, mode: f.mode };
  }
  const ordered = { version: 1, source: state.source, source_sha: state.source_sha, files };
  return `${JSON.stringify(ordered, null, 2)}\n`;
}

/** Same files, same modes: whether writing `next` over `prev` would change anything but the source SHA. */
export function sameFiles(a: SyncState, b: SyncState): boolean {
  const ka = Object.keys(a.files);
  if (ka.length !== Object.keys(b.files).length) return false;
  return ka.every((k) => b.files[k]?.blob === a.files[k]!.blob && b.files[k]?.mode === a.files[k]!.mode);
}
