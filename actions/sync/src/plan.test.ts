import { describe, expect, it } from '@jest/globals';
import type { PlanInput } from './plan.js';
import { planTarget } from './plan.js';
import type { SyncState } from './state.js';
import type { SourceFile, TreeEntry } from './types.js';

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);
const H = 'd'.repeat(40);
const statePath = '.github/autocode-sync/acme/foundation.json';

function input(p: {
  source?: Record<string, SourceFile | string>;
  tree?: Record<string, string | [string, string]>;
  state?: Record<string, string>;
  onConflict?: 'skip' | 'fail' | 'overwrite';
  deleteOrphaned?: boolean;
  dirs?: string[];
}): PlanInput {
  const files = new Map<string, SourceFile>(
    Object.entries(p.source ?? {}).map(([k, v]) => [
      k,
      typeof v === 'string' ? { sha: v, mode: '100644' } : v,
    ]),
  );
  const tree: TreeEntry[] = Object.entries(p.tree ?? {}).map(([path, v]) => {
    const [sha, mode] = typeof v === 'string' ? [v, '100644'] : v;
    return { path, sha, mode, type: mode === '160000' ? 'commit' : 'blob' };
  });
  for (const d of p.dirs ?? []) tree.push({ path: d, sha: H, mode: '040000', type: 'tree' });
  const state: SyncState | undefined = p.state
    ? {
        version: 1,
        source: 'acme/foundation',
        source_sha: 'old',
        files: Object.fromEntries(Object.entries(p.state).map(([k, v]) => [k, { blob: v, mode: '100644' }])),
      }
    : undefined;
  return {
    target: {
      paths: ['docs/**', 'bin/**'],
      exclude: ['**/*.secret'],
      onConflict: p.onConflict ?? 'skip',
      deleteOrphaned: p.deleteOrphaned ?? true,
    },
    source: { repo: 'acme/foundation', sha: 'new', files },
    tree,
    state,
    statePath,
  };
}

describe('three-way planning', () => {
  it('adds selected files, honours exclude, ignores unselected ones', () => {
    const plan = planTarget(input({ source: { 'docs/a.md': A, 'docs/x.secret': B, 'src/c.ts': C } }));
    expect(plan.changes).toEqual([{ path: 'docs/a.md', action: 'add', mode: '100644', sha: A }]);
    expect(plan.state.files).toEqual({ 'docs/a.md': { blob: A, mode: '100644' } });
    expect(plan.state.source_sha).toBe('new');
  });

  it('modifies a target file still as the last sync wrote it', () => {
    const plan = planTarget(
      input({ source: { 'docs/a.md': B }, tree: { 'docs/a.md': A }, state: { 'docs/a.md': A } }),
    );
    expect(plan.changes).toEqual([{ path: 'docs/a.md', action: 'modify', mode: '100644', sha: B }]);
    expect(plan.conflicts).toEqual([]);
  });

  it('keeps a human edit (skip) and remembers the last written blob', () => {
    const plan = planTarget(
      input({ source: { 'docs/a.md': B }, tree: { 'docs/a.md': C }, state: { 'docs/a.md': A } }),
    );
    expect(plan.changes).toEqual([]);
    expect(plan.conflicts).toEqual([{ path: 'docs/a.md', kind: 'edited-in-target', resolution: 'kept' }]);
    expect(plan.state.files['docs/a.md']).toEqual({ blob: A, mode: '100644' });
  });

  it('overwrites a human edit only with on_conflict: overwrite', () => {
    const plan = planTarget(
      input({
        source: { 'docs/a.md': B },
        tree: { 'docs/a.md': C },
        state: { 'docs/a.md': A },
        onConflict: 'overwrite',
      }),
    );
    expect(plan.changes).toEqual([{ path: 'docs/a.md', action: 'modify', mode: '100644', sha: B }]);
    expect(plan.conflicts[0]?.resolution).toBe('overwritten');
  });

  it('treats a file the target had before any sync as a conflict, not something to overwrite', () => {
    const plan = planTarget(input({ source: { 'docs/a.md': B }, tree: { 'docs/a.md': C } }));
    expect(plan.conflicts).toEqual([{ path: 'docs/a.md', kind: 'untracked-in-target', resolution: 'kept' }]);
    expect(plan.state.files).toEqual({});
  });

  it('does not re-add a file people deleted in the target', () => {
    const plan = planTarget(input({ source: { 'docs/a.md': A }, state: { 'docs/a.md': A } }));
    expect(plan.changes).toEqual([]);
    expect(plan.conflicts).toEqual([{ path: 'docs/a.md', kind: 'deleted-in-target', resolution: 'kept' }]);
  });

  it('adopts identical files without a change and records them', () => {
    const plan = planTarget(input({ source: { 'docs/a.md': A }, tree: { 'docs/a.md': A } }));
    expect(plan.changes).toEqual([]);
    expect(plan.unchanged).toBe(1);
    expect(plan.state.files['docs/a.md']?.blob).toBe(A);
  });

  it('keeps the executable bit: a mode change is a modification', () => {
    const plan = planTarget(
      input({
        source: { 'bin/run': { sha: A, mode: '100755' } },
        tree: { 'bin/run': A },
        state: { 'bin/run': A },
      }),
    );
    expect(plan.changes).toEqual([{ path: 'bin/run', action: 'modify', mode: '100755', sha: A }]);
  });

  it('deletes a file removed at the source only when unchanged since the last sync', () => {
    const plan = planTarget(
      input({
        tree: { 'docs/gone.md': A, 'docs/edited.md': C },
        state: { 'docs/gone.md': A, 'docs/edited.md': B },
      }),
    );
    expect(plan.changes).toEqual([{ path: 'docs/gone.md', action: 'delete' }]);
    expect(plan.conflicts).toEqual([
      { path: 'docs/edited.md', kind: 'edited-deleted-at-source', resolution: 'kept' },
    ]);
    expect(plan.state.files).toEqual({});
  });

  it('leaves orphaned files (unmanaged) with delete_orphaned: false', () => {
    const plan = planTarget(
      input({ tree: { 'docs/gone.md': A }, state: { 'docs/gone.md': A }, deleteOrphaned: false }),
    );
    expect(plan.changes).toEqual([]);
    expect(plan.state.files).toEqual({});
  });

  it('refuses symlinks in the source and paths through a symlink in the target', () => {
    const plan = planTarget(
      input({
        source: { 'docs/link': { sha: A, mode: '120000' }, 'bin/x/y': B },
        tree: { 'bin/x': [C, '120000'] },
      }),
    );
    expect(plan.unsafe.map((u) => u.path).sort()).toEqual(['bin/x/y', 'docs/link']);
    expect(plan.changes).toEqual([]);
  });

  it('refuses unsafe source paths', () => {
    const plan = planTarget(input({ source: { 'docs/../../etc/passwd': A, 'docs/.git/config': B } }));
    // minimatch never lets `**` cross "..", so that one is not even selected; .git/ is refused outright.
    expect(plan.unsafe.map((u) => u.problem)).toEqual(['reaches into .git/']);
    expect(plan.changes).toEqual([]);
  });

  it('reports a directory or submodule in the way as a conflict', () => {
    const plan = planTarget(
      input({
        source: { 'docs/a': A, 'docs/sub': B },
        dirs: ['docs/a'],
        tree: { 'docs/sub': [C, '160000'] },
      }),
    );
    expect(plan.conflicts.map((c) => [c.path, c.kind])).toEqual([
      ['docs/a', 'path-blocked'],
      ['docs/sub', 'path-blocked'],
    ]);
  });

  it('keeps the previous source SHA when no file changes', () => {
    const plan = planTarget(
      input({ source: { 'docs/a.md': A }, tree: { 'docs/a.md': A }, state: { 'docs/a.md': A } }),
    );
    expect(plan.state.source_sha).toBe('old');
  });
});
