import { describe, expect, it } from '@jest/globals';
import { chmodSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { dirSource } from './source.js';
import { blobSha } from './git-hash.js';

describe('directory source', () => {
  it('records modes and blob SHAs, never follows symlinks, and skips .git', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dir-source-'));
    mkdirSync(join(dir, 'bin'));
    mkdirSync(join(dir, '.git'));
    writeFileSync(join(dir, '.git', 'config'), 'secret');
    writeFileSync(join(dir, 'bin', 'run'), '#!/bin/sh\n');
    chmodSync(join(dir, 'bin', 'run'), 0o755);
    writeFileSync(join(dir, 'a.md'), 'a\n');
    symlinkSync('/etc', join(dir, 'escape'));
    const source = await dirSource(dir, 'acme/foundation', 'working-tree');
    expect([...source.files.keys()].sort()).toEqual(['a.md', 'bin/run', 'escape']);
    expect(source.files.get('bin/run')?.mode).toBe('100755');
    expect(source.files.get('a.md')).toEqual({
      mode: '100644',
      sha: await blobSha(new TextEncoder().encode('a\n')),
    });
    expect(source.files.get('escape')?.mode).toBe('120000');
    expect(Buffer.from(await source.read('a.md')).toString()).toBe('a\n');
  });
});
