import { describe, expect, it } from '@jest/globals';
import { AutocodeError } from '@autocode/toolkit/errors';
import { parsePatch, parseUnifiedDiff, utf8Length } from './diff.js';

const gitDiff = [
  'diff --git a/src/app.ts b/src/app.ts',
  'index 83db48f..bf269f4 100644',
  '--- a/src/app.ts',
  '+++ b/src/app.ts',
  '@@ -1,3 +1,4 @@',
  ' import x from "x";',
  '-const a = 1;',
  '+const a = 2;',
  '+const b = 3; // TODO tidy',
  ' export default a;',
  '@@ -10 +11 @@ function f() {',
  '-  old();',
  '+  neu();',
  '\\ No newline at end of file',
  'diff --git a/logo.png b/logo.png',
  'new file mode 100644',
  'index 0000000..1111111',
  'Binary files /dev/null and b/logo.png differ',
  'diff --git a/old name.txt b/new name.txt',
  'similarity index 90%',
  'rename from old name.txt',
  'rename to new name.txt',
  'diff --git a/gone.txt b/gone.txt',
  'deleted file mode 100644',
  '--- a/gone.txt',
  '+++ /dev/null',
  '@@ -1,2 +0,0 @@',
  '-bye',
  '-TODO removed',
  'diff --git "a/t\\303\\244st.md" "b/t\\303\\244st.md"',
  'new file mode 100644',
  '--- /dev/null',
  '+++ "b/t\\303\\244st.md"',
  '@@ -0,0 +1 @@',
  '+héllo',
  '',
].join('\n');

function failure(fn: () => unknown): AutocodeError {
  try {
    fn();
  } catch (err) {
    return err as AutocodeError;
  }
  throw new Error('expected a failure');
}

describe('parseUnifiedDiff', () => {
  const files = parseUnifiedDiff(gitDiff);

  it('reads statuses, renames, binaries and quoted UTF-8 paths', () => {
    expect(files.map((f) => [f.path, f.status, f.binary, f.previous_path])).toEqual([
      ['src/app.ts', 'modified', false, undefined],
      ['logo.png', 'added', true, undefined],
      ['new name.txt', 'renamed', false, 'old name.txt'],
      ['gone.txt', 'removed', false, undefined],
      ['täst.md', 'added', false, undefined],
    ]);
  });

  it('keeps added lines with their new-file line numbers and counts bytes', () => {
    const [app] = files;
    expect(app!.added).toEqual(['const a = 2;', 'const b = 3; // TODO tidy', '  neu();']);
    expect(app!.addedLines).toEqual([2, 3, 11]);
    expect([app!.additions, app!.deletions]).toEqual([3, 2]);
    expect(app!.bytes).toBe(13 + 26 + 9);
    expect(files[4]!.bytes).toBe(utf8Length('héllo') + 1);
  });

  it('never reports removed lines as added', () => {
    expect(files[3]!.added).toEqual([]);
    expect(files[3]!.deletions).toBe(2);
  });

  it('accepts plain `diff -u` output and format-patch mail around the diff', () => {
    const plain = [
      '--- a.txt\t2024-06-01 10:00:00',
      '+++ b.txt\t2024-06-01 10:05:00',
      '@@ -1 +1 @@',
      '-x',
      '+y',
    ];
    expect(parseUnifiedDiff(plain.join('\n'))[0]).toMatchObject({ path: 'b.txt', previous_path: 'a.txt' });
    const mail = [
      'From 1234 Mon Sep 17 00:00:00 2001',
      'Subject: [PATCH] fix',
      '',
      '---',
      gitDiff,
      '-- ',
      '2.45.0',
    ];
    expect(parseUnifiedDiff(mail.join('\n'))).toHaveLength(5);
  });

  it('reads GIT binary patches and records the literal size', () => {
    const bin = [
      'diff --git a/x.bin b/x.bin',
      'new file mode 100644',
      'GIT binary patch',
      'literal 2048',
      'zcmeAS',
      '',
      'literal 0',
      'HcmV?d00001',
      '',
    ];
    expect(parseUnifiedDiff(bin.join('\n'))[0]).toMatchObject({ path: 'x.bin', binary: true, bytes: 2048 });
  });

  it('treats an empty diff as no files', () => {
    expect(parseUnifiedDiff('')).toEqual([]);
    expect(parseUnifiedDiff('\n\n')).toEqual([]);
  });

  it.each([
    [
      'a diff that ends inside a hunk',
      gitDiff.split('\n').slice(0, 8).join('\n'),
      9,
      /diff ends inside the hunk at line 5/,
    ],
    [
      'a hunk with more added lines than announced',
      'diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1 @@\n-x\n+y\n+z\n',
      7,
      /unexpected line outside a hunk: "\+z"/,
    ],
    [
      'a corrupted hunk line',
      'diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1,2 +1,2 @@\n x\n*y\n',
      6,
      /expected a line starting with/,
    ],
    [
      'a malformed hunk header',
      'diff --git a/a b/a\n--- a/a\n+++ b/a\n@@ -1 +1\n+x\n',
      4,
      /malformed hunk header/,
    ],
    ['a missing +++ line', 'diff --git a/a b/a\n--- a/a\n@@ -1 +1 @@\n', 3, /expected "\+\+\+ <path>"/],
    ['a hunk before any file', '@@ -1 +1 @@\n-a\n+b\n', 1, /hunk header before any file header/],
    ['text that is no diff at all', '{"not": "a diff"}\n', 1, /no file header found/],
  ])('refuses %s, naming the line', (_what, text, line, message) => {
    const err = failure(() => parseUnifiedDiff(text, 'change.diff'));
    expect(err).toBeInstanceOf(AutocodeError);
    expect(err.code).toBe('INVALID_INPUT');
    expect(err.location).toEqual({ file: 'change.diff', line, column: 1 });
    expect(err.message).toMatch(`change.diff line ${line}`);
    expect(err.message).toMatch(message);
  });
});

describe('parsePatch (GitHub per-file patch)', () => {
  it('parses hunks without headers', () => {
    const f = parsePatch('src/a.ts', '@@ -1,2 +1,4 @@\n a\n+b\n c\n+d', { status: 'modified' });
    expect(f).toMatchObject({ path: 'src/a.ts', added: ['b', 'd'], addedLines: [2, 4], additions: 2 });
  });

  it('refuses text before the first hunk', () => {
    expect(() => parsePatch('a', 'junk\n@@ -1 +1 @@\n+x')).toThrow(
      /patch of a line 1: expected a hunk header/,
    );
  });
});

describe('utf8Length', () => {
  it('matches TextEncoder for ASCII, 2-, 3- and 4-byte characters', () => {
    for (const s of ['abc', 'é', '€uro', '😀 ok', ''])
      expect(utf8Length(s)).toBe(new TextEncoder().encode(s).length);
  });
});
