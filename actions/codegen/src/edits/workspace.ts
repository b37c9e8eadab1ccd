/**
 * The working tree edits land in: reads go to disk (confined, no symlinks followed, text only), writes are
 * checked again right before they happen, and the original content of every touched file is remembered so
 * the final patch is always "base → now", however many rounds (reflection, fix-up) wrote in between.
 */
import { lstatSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { assertNoSymlinkEscape, confinePath } from './paths.js';
import type { FileChanges } from './apply.js';
import type { FileChange } from './patch.js';
import { createPatch } from './patch.js';

/** Files larger than this are not offered to the model nor edited (1 MiB). */
export const MAX_TEXT_FILE_BYTES = 1024 * 1024;

export function isProbablyText(buf: Buffer): boolean {
  return !buf.subarray(0, 8000).includes(0);
}

export class WorkingTree {
  private readonly originals = new Map<string, string | undefined>();

  constructor(readonly root: string) {}

  /** Current text of a file, or undefined when missing, a symlink, binary or too large. */
  read(rel: string): string | undefined {
    const path = confinePath(rel);
    const abs = join(this.root, path);
    try {
      const st = lstatSync(abs);
      if (!st.isFile() || st.size > MAX_TEXT_FILE_BYTES) return undefined;
      assertNoSymlinkEscape(this.root, path);
      const buf = readFileSync(abs);
      return isProbablyText(buf) ? buf.toString('utf8') : undefined;
    } catch {
      return undefined;
    }
  }

  /** Throws UNSAFE_PATH when writing `rel` would leave the tree (through a symlink) or change a symlink. */
  assertWritable(rel: string): void {
    assertNoSymlinkEscape(this.root, confinePath(rel));
  }

  /** Write a set of changes (already validated by the applier; confinement is re-checked here). */
  write(changes: FileChanges): void {
    // Check every path before writing any: a refused path leaves the tree untouched.
    for (const rel of changes.keys()) assertNoSymlinkEscape(this.root, confinePath(rel));
    for (const [rel, content] of changes) {
      const path = confinePath(rel);
      if (!this.originals.has(path)) this.originals.set(path, this.read(path));
      const abs = join(this.root, path);
      if (content === null) rmSync(abs, { force: true });
      else {
        mkdirSync(dirname(abs), { recursive: true });
        writeFileSync(abs, content);
      }
    }
  }

  /** Every file whose content differs from the base, in path order. */
  changes(): FileChange[] {
    const out: FileChange[] = [];
    for (const [path, before] of [...this.originals].sort(([a], [b]) => a.localeCompare(b))) {
      const now = this.read(path);
      const after = now === undefined ? null : now;
      if (after === (before ?? null)) continue;
      out.push({ path, before, after });
    }
    return out;
  }

  patch(): string {
    return createPatch(this.changes());
  }
}
