import { describe, expect, it } from '@jest/globals';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseConfig } from '@autocode/toolkit';
import { resetSandbox, startSandbox } from './up.js';
import { git, tempDir } from './forge/test-support.js';

describe('sandbox up', () => {
  it('serves the seeded org over git and the API, keeps state across a restart, and reset clears it', async () => {
    const stateDir = join(tempDir('sandbox-up-'), 'state');
    const first = await startSandbox({ stateDir });
    let token: string;
    try {
      expect(first.info.repos).toEqual(['acme/foundation', 'acme/mvp', 'acme/production']);
      token = first.info.users[0]!.token;
      const dir = tempDir();
      await git(dir, ['clone', '--quiet', first.forge.gitUrl('acme', 'foundation', token), 'foundation']);
      const config = readFileSync(join(dir, 'foundation', '.sync-config.yaml'), 'utf8');
      const parsed = parseConfig(config, '.sync-config.yaml', { type: 'object', required: ['targets'] }) as {
        targets: { repo: string }[];
      };
      expect(parsed.targets.map((t) => t.repo)).toEqual(['acme/mvp', 'acme/production']);
      const res = await fetch(`${first.info.github.apiUrl}/orgs/acme/repos`, {
        headers: { authorization: `token ${first.info.installationToken}` },
      });
      expect(((await res.json()) as { name: string }[]).map((r) => r.name)).toEqual([
        'foundation',
        'mvp',
        'production',
      ]);
      expect(JSON.parse(readFileSync(first.infoPath, 'utf8'))).toMatchObject({
        app: { installationId: first.info.app.installationId },
      });
    } finally {
      await first.stop();
    }
    const second = await startSandbox({ stateDir });
    try {
      expect(second.info.users[0]!.token).toBe(token);
      expect(second.info.llm?.apiKeys).toEqual(first.info.llm?.apiKeys);
      const heads = Object.keys(second.forge.state.repos);
      expect(heads).toEqual(['acme/foundation', 'acme/mvp', 'acme/production']);
    } finally {
      await second.stop();
    }
    expect(resetSandbox(stateDir)).toBe(true);
    expect(existsSync(stateDir)).toBe(false);
    expect(() => resetSandbox(tempDir())).toThrow(/does not look like a sandbox state directory/);
  });
});
