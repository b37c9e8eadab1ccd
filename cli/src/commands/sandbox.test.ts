import { describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';

const cli = join(import.meta.dirname, '../../bin/autocode.js');

describe('autocode sandbox', () => {
  it('`sandbox up` serves acme/foundation to git clone; `sandbox reset` removes the state', async () => {
    const work = mkdtempSync(join(tmpdir(), 'autocode-sandbox-cli-'));
    const stateDir = join(work, 'state');
    const child = spawn(process.execPath, [cli, 'sandbox', 'up', '--state-dir', stateDir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    try {
      await new Promise<void>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('Press Ctrl+C')) resolve();
        });
        child.once('exit', (code) => reject(new Error(`sandbox up exited (${code}): ${out}`)));
      });
      const url = /git clone (\S+)/.exec(out)?.[1];
      expect(url).toMatch(/^http:\/\/x-access-token:ghp_[^@]+@127\.0\.0\.1:\d+\/acme\/foundation\.git$/);
      await promisify(execFile)('git', ['clone', '--quiet', url!, join(work, 'foundation')], {
        env: { ...process.env, GIT_TERMINAL_PROMPT: '0' },
      });
      expect(readFileSync(join(work, 'foundation', '.sync-config.yaml'), 'utf8')).toContain('repo: acme/mvp');
    } finally {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    const reset = await promisify(execFile)(process.execPath, [
      cli,
      'sandbox',
      'reset',
      '--state-dir',
      stateDir,
    ]);
    expect(reset.stdout).toContain('removed');
  });
});
