/**
 * The patch is the contract between the jobs: generate writes it, gate scans it, publish replays it. It is a
 * git-style unified diff (`diff --git`, `new file mode`, `/dev/null`) built with jsdiff, and publish applies it
 * strictly (no fuzz) so the commit is exactly what the gate evaluated.
 */
import { applyPatch, parsePatch, structuredPatch } from 'diff';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import { confinePath } from './paths.js';

export interface FileChange {
  path: string;
  /** Content before the change; undefined for a new file. */
  before: string | undefined;
  /** Content after; null when the file is deleted. */
  after: string | null;
}

/** One git-style diff over every change, paths sorted (a stable prompt hash and review order). */
export function createPatch(changes: FileChange[], context = 3): string {
  const parts: string[] = [];
  for (const c of [...changes].sort((a, b) => a.path.localeCompare(b.path))) {
    const created = c.before === undefined;
    const deleted = c.after === null;
    const p = structuredPatch(
      `a/${c.path}`,
      `b/${c.path}`,
      c.before ?? '',
      c.after ?? '',
      undefined,
      undefined,
      {
        context,
      },
    );
    if (p.hunks.length === 0 && !created && !deleted) continue;
    parts.push(`diff --git a/${c.path} b/${c.path}`);
    if (created) parts.push('new file mode 100644');
    if (deleted) parts.push(`deleted file mode 100644`);
    parts.push(created ? '--- /dev/null' : `--- a/${c.path}`);
    parts.push(deleted ? '+++ /dev/null' : `+++ b/${c.path}`);
    for (const h of p.hunks) {
      const oldRange = h.oldLines === 1 ? `${h.oldStart}` : `${h.oldStart},${h.oldLines}`;
      const newRange = h.newLines === 1 ? `${h.newStart}` : `${h.newStart},${h.newLines}`;
      parts.push(`@@ -${created ? '0,0' : oldRange} +${deleted ? '0,0' : newRange} @@`, ...h.lines);
    }
  }
  return parts.length ? `${parts.join('\n')}\n` : '';
}

/**
 * Replay a patch strictly against the base (`read` returns base contents). Returns the new contents by
 * path (null = delete). Any hunk that does not apply exactly is an error: the base moved or the patch lies.
 */
export async function replayPatch(
  patch: string,
  read: (path: string) => Promise<string | undefined>,
): Promise<Map<string, string | null>> {
  const out = new Map<string, string | null>();
  for (const file of parsePatch(patch)) {
    const oldName = file.oldFileName ?? '';
    const newName = file.newFileName ?? '';
    const deleted = newName === '/dev/null';
    const created = oldName === '/dev/null';
    const raw = (deleted ? oldName : newName).replace(/^[ab]\//, '');
    const path = confinePath(raw);
    const base = created ? '' : await read(path);
    if (base === undefined) {
      throw new AutocodeError(
        ErrorCodes.CONFLICT,
        `the patch changes ${path}, which is not in the base commit`,
      );
    }
    if (deleted) {
      out.set(path, null);
      continue;
    }
    const next = applyPatch(base, file, { fuzzFactor: 0 });
    if (next === false) {
      throw new AutocodeError(
        ErrorCodes.CONFLICT,
        `the patch does not apply cleanly to ${path} at the base commit`,
        {
          hint: 'the base commit differs from the one the change was generated on; rerun codegen',
        },
      );
    }
    out.set(path, next);
  }
  return out;
}
