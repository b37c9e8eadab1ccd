import { describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync, chmodSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { blobSha, treeSha } from './git-hash.js';

const git = (cwd: string, args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();

describe('git object hashing', () => {
  it('matches git for blobs and for nested trees with modes, symlinks and tricky ordering', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hash-'));
    git(dir, ['init', '-q']);
    const files: Record<string, string> = {
      'a.txt': 'A\n',
      'a-b/x': 'x',
      'a/b': 'nested',
      'a.b/c': 'dot dir',
      'bin/run.sh': '#!/bin/sh\n',
      'ü.md': 'unicode name\n',
    };
    for (const [p, content] of Object.entries(files)) {
      mkdirSync(join(dir, p, '..'), { recursive: true });
      writeFileSync(join(dir, p), content);
    }
    chmodSync(join(dir, 'bin/run.sh'), 0o755);
    symlinkSync('a.txt', join(dir, 'link'));
    git(dir, ['add', '-A']);
    const expected = git(dir, ['write-tree']);
    const leaves = git(dir, ['ls-files', '-s', '-z'])
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const [meta, path] = line.split('\t') as [string, string];
        const [mode, sha] = meta.split(' ') as [string, string];
        return { path, mode, sha };
      });
    expect(await treeSha(leaves)).toBe(expected);
    expect(await blobSha(new TextEncoder().encode('A\n'))).toBe(git(dir, ['hash-object', 'a.txt']));
  });
});
