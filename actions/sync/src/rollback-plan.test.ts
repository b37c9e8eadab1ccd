import { describe, expect, it } from '@jest/globals';
import { planRollback } from './rollback-plan.js';
import type { SyncState } from './state.js';
import type { TreeEntry } from './types.js';

const [A, B, C, D] = ['a', 'b', 'c', 'd'].map((x) => x.repeat(40)) as [string, string, string, string];
const tree = (files: Record<string, string>): TreeEntry[] =>
  Object.entries(files).map(([path, sha]) => ({ path, sha, mode: '100644', type: 'blob' }));
const state = (files: Record<string, string>, sourceSha = 's2'): SyncState => ({
  version: 1,
  source: 'acme/foundation',
  source_sha: sourceSha,
  files: Object.fromEntries(Object.entries(files).map(([p, b]) => [p, { blob: b, mode: '100644' }])),
});

describe('rollback planning', () => {
  it('restores modified files, deletes added ones and re-adds deleted ones, as of the reference tree', () => {
    const plan = planRollback({
      tree: tree({ 'docs/a.md': B, 'docs/new.md': C, 'README.md': D }),
      state: state({ 'docs/a.md': B, 'docs/new.md': C }),
      refTree: tree({ 'docs/a.md': A, 'docs/old.md': A, 'README.md': D }),
      refState: state({ 'docs/a.md': A, 'docs/old.md': A }, 's1'),
    });
    expect(plan.changes).toEqual([
      { path: 'docs/a.md', action: 'modify', mode: '100644', sha: A },
      { path: 'docs/new.md', action: 'delete' },
      { path: 'docs/old.md', action: 'add', mode: '100644', sha: A },
    ]);
    expect(plan.conflicts).toEqual([]);
    expect(plan.state.source_sha).toBe('s1');
  });

  it('leaves files people changed since the last sync, and keeps tracking them', () => {
    const plan = planRollback({
      tree: tree({ 'docs/a.md': D }),
      state: state({ 'docs/a.md': B }),
      refTree: tree({ 'docs/a.md': A }),
      refState: state({ 'docs/a.md': A }, 's1'),
    });
    expect(plan.changes).toEqual([]);
    expect(plan.conflicts).toEqual([{ path: 'docs/a.md', kind: 'edited-in-target', resolution: 'kept' }]);
    expect(plan.state.files['docs/a.md']?.blob).toBe(B);
  });

  it('rolling back the first sync removes what it added and forgets the state', () => {
    const plan = planRollback({
      tree: tree({ 'docs/a.md': B }),
      state: state({ 'docs/a.md': B }),
      refTree: tree({}),
      refState: undefined,
    });
    expect(plan.changes).toEqual([{ path: 'docs/a.md', action: 'delete' }]);
    expect(plan.state.files).toEqual({});
  });
});
