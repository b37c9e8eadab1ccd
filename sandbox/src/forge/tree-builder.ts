/**
 * Builds a new git tree from a base tree plus path edits, the way `POST /git/trees` does: nested paths create
 * sub-trees, `sha: null` deletes, a `tree` entry replaces a whole directory. Only the directories on an edited
 * path are read and rewritten, so a one-file change to a large repo costs a few `ls-tree`/`mktree` calls.
 */
import type { GitRepo } from './git.js';

export interface TreeEdit {
  path: string;
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  /** null deletes the path. */
  sha: string | null;
}

interface Leaf {
  mode: string;
  type: 'blob' | 'tree' | 'commit';
  sha: string;
}

class Dir {
  entries: Map<string, Leaf | Dir> | null = null;
  dirty = false;
  constructor(readonly base: string | null) {}

  async load(git: GitRepo): Promise<Map<string, Leaf | Dir>> {
    if (!this.entries) {
      this.entries = new Map();
      if (this.base) {
        for (const e of await git.readTree(this.base)) {
          this.entries.set(e.path, { mode: e.mode, type: e.type, sha: e.sha });
        }
      }
    }
    return this.entries;
  }
}

/** Walk to the directory holding `parts`' last element, creating directories when `create`. */
async function parentOf(git: GitRepo, root: Dir, parts: string[], create: boolean): Promise<Dir | null> {
  let dir = root;
  const trail: Dir[] = [root];
  for (const name of parts.slice(0, -1)) {
    const entries = await dir.load(git);
    let next = entries.get(name);
    if (next && !(next instanceof Dir)) {
      if (next.type === 'tree') {
        next = new Dir(next.sha);
        entries.set(name, next);
      } else if (create) {
        next = undefined; // a file is replaced by a directory of the same name
      } else return null;
    }
    if (!next) {
      if (!create) return null;
      next = new Dir(null);
      entries.set(name, next);
    }
    dir = next;
    trail.push(dir);
  }
  for (const d of trail) d.dirty = true;
  return dir;
}

async function write(git: GitRepo, dir: Dir): Promise<string | null> {
  if (!dir.dirty) return dir.base;
  const entries = await dir.load(git);
  const rows: { mode: string; type: string; sha: string; name: string }[] = [];
  for (const [name, entry] of entries) {
    if (entry instanceof Dir) {
      const sha = await write(git, entry);
      // git trees cannot hold empty directories; GitHub drops them too.
      if (sha) rows.push({ mode: '040000', type: 'tree', sha, name });
    } else rows.push({ ...entry, name });
  }
  if (rows.length === 0) return null;
  return git.mktree(rows);
}

export async function buildTree(git: GitRepo, baseTree: string | null, edits: TreeEdit[]): Promise<string> {
  const root = new Dir(baseTree);
  root.dirty = true;
  for (const edit of edits) {
    const parts = edit.path.split('/').filter(Boolean);
    const name = parts[parts.length - 1];
    if (!name) continue;
    const dir = await parentOf(git, root, parts, edit.sha !== null);
    if (!dir) continue; // deleting something that is not there is a no-op
    const entries = await dir.load(git);
    if (edit.sha === null) entries.delete(name);
    else
      entries.set(name, {
        mode: edit.mode === '40000' ? '040000' : edit.mode,
        type: edit.type,
        sha: edit.sha,
      });
  }
  return (await write(git, root)) ?? (await git.mktree([]));
}
