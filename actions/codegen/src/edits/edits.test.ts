import { describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parsePolicyInput } from '@autocode/policies/node';
import { parseUnifiedDiff } from '@autocode/policies';
import { applyEdits } from './apply.js';
import { parseEdits } from './parse.js';
import { confinePath, assertNoSymlinkEscape } from './paths.js';
import { createPatch, replayPatch } from './patch.js';
import { WorkingTree } from './workspace.js';

const FILE = [
  'import x from "y";',
  '',
  'function a() {',
  '    return 1;',
  '}',
  '',
  'function b() {',
  '    return 2;',
  '}',
  '',
].join('\n');
const read = (files: Record<string, string>) => (p: string) => files[p];

describe('confinePath', () => {
  it.each([
    '../etc/passwd',
    'a/../../b',
    '/etc/passwd',
    'C:/x',
    '.git/hooks/pre-commit',
    'sub/.GIT/config',
    'a\\b',
    '~/x',
    '',
    'a\0b',
  ])('refuses %j', (p) =>
    expect(() => confinePath(p)).toThrow(expect.objectContaining({ code: 'UNSAFE_PATH' })),
  );
  it('normalises harmless forms', () => {
    expect(confinePath('./src//a.ts')).toBe('src/a.ts');
    expect(confinePath('.github/workflows/x.yml')).toBe('.github/workflows/x.yml');
  });
  it('refuses writing through a symlink that leaves the repository, and a symlinked file', () => {
    const root = mkdtempSync(join(tmpdir(), 'codegen-paths-'));
    const outside = mkdtempSync(join(tmpdir(), 'codegen-outside-'));
    symlinkSync(outside, join(root, 'link'));
    writeFileSync(join(outside, 'f.txt'), 'x');
    symlinkSync(join(outside, 'f.txt'), join(root, 'file-link'));
    mkdirSync(join(root, 'inner'));
    symlinkSync(join(root, 'inner'), join(root, 'inner-link'));
    expect(() => assertNoSymlinkEscape(root, 'link/evil.sh')).toThrow(/outside the repository/);
    expect(() => assertNoSymlinkEscape(root, 'file-link')).toThrow(/is a symlink/);
    expect(() => assertNoSymlinkEscape(root, 'inner-link/ok.txt')).not.toThrow();
  });
});

describe('parseEdits', () => {
  it('reads a fenced diff without file headers, taking the path from the line before', () => {
    const reply =
      'Change `src/a.ts`:\n```diff\n@@ -3,3 +3,3 @@\n function a() {\n-    return 1;\n+    return 10;\n }\n```\n';
    const { edits, errors } = parseEdits(reply);
    expect(errors).toEqual([]);
    expect(edits).toEqual([
      expect.objectContaining({
        kind: 'diff',
        path: 'src/a.ts',
        hunks: [expect.objectContaining({ oldStart: 3 })],
      }),
    ]);
  });
  it('reads search/replace blocks with the path above them', () => {
    const reply =
      'src/a.ts\n```ts\n<<<<<<< SEARCH\n    return 1;\n=======\n    return 11;\n>>>>>>> REPLACE\n```';
    expect(parseEdits(reply).edits).toEqual([
      { kind: 'replace', path: 'src/a.ts', search: '    return 1;', replace: '    return 11;' },
    ]);
  });
  it('reports a hunk that names no file', () => {
    expect(parseEdits('```diff\n@@ -1 +1 @@\n-a\n+b\n```').errors[0]).toMatch(/names no file/);
  });
});

describe('applyEdits', () => {
  const files = { 'src/a.ts': FILE };
  const diff = (body: string) => parseEdits(body).edits;
  it.each([
    [
      'a hunk whose header offset drifted by many lines',
      '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -40,3 +40,3 @@\n function b() {\n-    return 2;\n+    return 20;\n }\n',
      'return 20;',
    ],
    [
      'through whitespace drift, re-indenting the added line',
      '```diff src/a.ts\n@@ -3,3 +3,3 @@\n function a() {\n-  return 1;  \n+  return 100;\n }\n```',
      '\n    return 100;\n',
    ],
    [
      'a partial hunk whose edge context is wrong',
      '--- a/src/a.ts\n+++ b/src/a.ts\n@@ -6,4 +6,4 @@\n // a comment that is not there\n function b() {\n-    return 2;\n+    return 3;\n',
      'return 3;',
    ],
  ])('applies %s', (_name, reply, expected) => {
    const r = applyEdits(read(files), diff(reply));
    expect(r.errors).toEqual([]);
    expect(r.changes.get('src/a.ts')).toContain(expected);
  });
  it('is a transaction: one failing edit leaves nothing applied and explains itself', () => {
    const r = applyEdits(read(files), [
      ...diff('src/a.ts\n<<<<<<< SEARCH\n    return 1;\n=======\n    return 5;\n>>>>>>> REPLACE'),
      ...diff('src/a.ts\n<<<<<<< SEARCH\n    return 404;\n=======\n    return 5;\n>>>>>>> REPLACE'),
    ]);
    expect(r.changes.size).toBe(0);
    expect(r.errors[0]).toMatch(/SEARCH text was not found/);
  });
  it('refuses hostile paths and says so', () => {
    const r = applyEdits(
      read(files),
      diff('../../etc/cron.d/x\n<<<<<<< SEARCH\n=======\n* * * * * root sh\n>>>>>>> REPLACE'),
    );
    expect(r.unsafe).toEqual(['../../etc/cron.d/x']);
    expect(r.errors[0]).toMatch(/escapes the repository/);
  });
  it('creates a new file from a /dev/null diff and from an empty SEARCH', () => {
    const r = applyEdits(read(files), [
      ...diff(
        '--- /dev/null\n+++ b/src/new.ts\n@@ -0,0 +1,2 @@\n+export const x = 1;\n+export const y = 2;\n',
      ),
      ...diff('src/other.ts\n<<<<<<< SEARCH\n=======\nexport {};\n>>>>>>> REPLACE'),
    ]);
    expect(r.errors).toEqual([]);
    expect(r.changes.get('src/new.ts')).toBe('export const x = 1;\nexport const y = 2;\n');
    expect(r.changes.get('src/other.ts')).toBe('export {};\n');
  });
});

describe('patch', () => {
  it('round-trips through the strict replay and is accepted by the policy diff parser', async () => {
    const changes = [
      { path: 'src/a.ts', before: FILE, after: FILE.replace('return 1;', 'return 7;') },
      { path: 'src/new.ts', before: undefined, after: 'x\n' },
      { path: 'old.txt', before: 'bye\n', after: null },
    ];
    const patch = createPatch(changes);
    expect(parseUnifiedDiff(patch).map((f) => [f.path, f.status])).toEqual([
      ['old.txt', 'removed'],
      ['src/a.ts', 'modified'],
      ['src/new.ts', 'added'],
    ]);
    const base: Record<string, string> = { 'src/a.ts': FILE, 'old.txt': 'bye\n' };
    const out = await replayPatch(patch, async (p) => base[p]);
    expect(out.get('src/a.ts')).toContain('return 7;');
    expect(out.get('src/new.ts')).toBe('x\n');
    expect(out.get('old.txt')).toBeNull();
    await expect(replayPatch(patch, async (p) => (p === 'src/a.ts' ? 'other\n' : base[p]))).rejects.toThrow(
      /does not apply/,
    );
    expect(parsePolicyInput).toBeDefined();
  });
  it('WorkingTree writes confined files and reports base → now', () => {
    const root = mkdtempSync(join(tmpdir(), 'codegen-tree-'));
    writeFileSync(join(root, 'a.txt'), 'one\n');
    const tree = new WorkingTree(root);
    tree.write(
      new Map([
        ['a.txt', 'two\n'],
        ['d/b.txt', 'new\n'],
      ]),
    );
    tree.write(new Map([['a.txt', 'three\n']]));
    expect(readFileSync(join(root, 'd/b.txt'), 'utf8')).toBe('new\n');
    expect(tree.changes().map((c) => [c.path, c.before, c.after])).toEqual([
      ['a.txt', 'one\n', 'three\n'],
      ['d/b.txt', undefined, 'new\n'],
    ]);
    expect(() => tree.write(new Map([['../x', 'y']]))).toThrow(/escapes/);
    expect(existsSync(join(root, '..', 'x'))).toBe(false);
  });
});
