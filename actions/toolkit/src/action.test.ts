import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const script = fileURLToPath(new URL('./test-support/failing-action.ts', import.meta.url));

describe('runAction (as the runner runs an action)', () => {
  it('turns an AutocodeError into a located annotation, an error-code output and exit code 1, masking the token', () => {
    const outputFile = join(mkdtempSync(join(tmpdir(), 'autocode-action-')), 'output');
    writeFileSync(outputFile, '');
    const r = spawnSync(process.execPath, ['--import', 'tsx', script], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, INPUT_TOKEN: 'ghs_abcdef123456', GITHUB_OUTPUT: outputFile },
    });
    expect(r.status).toBe(1);
    expect(r.stdout).toContain('::add-mask::ghs_abcdef123456');
    // The runner masks registered values in its log; the mask must be registered before the first use.
    expect(r.stdout.indexOf('::add-mask::')).toBeLessThan(r.stdout.indexOf('using token'));
    expect(r.stdout).toMatch(/::error title=autocode CONFIG_INVALID,file=\.sync-config\.yaml,line=4,col=5::/);
    expect(r.stdout).toContain('::error::[CONFIG_INVALID] targets[0].repo: missing required key "repo"');
    expect(readFileSync(outputFile, 'utf8')).toMatch(/^error-code<<ghadelimiter_.*\nCONFIG_INVALID\n/);
  });
});
