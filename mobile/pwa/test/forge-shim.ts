/**
 * Test-local workaround for a sandbox forge bug (reported, not fixed here: the forge is not this package's):
 * `GitRepo.refSha` runs `git show-ref --verify --quiet --hash <ref>`, and with `--quiet` git 2.39 prints no
 * hash, so every existing branch reads as missing (PR creation answers 422 "head invalid", contents PUT 404).
 * The shim is applied only when a probe shows the bug, so it becomes a no-op once the forge is fixed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitRepo } from '../../../sandbox/src/forge/git.js';

export async function shimForgeRefSha(): Promise<boolean> {
  const dir = mkdtempSync(join(tmpdir(), 'refsha-probe-'));
  try {
    const git = new GitRepo(dir);
    await git.init('main');
    const tree = (await git.text(['hash-object', '-t', 'tree', '-w', '--stdin'], '')).trim();
    const who = { GIT_AUTHOR_NAME: 'probe', GIT_AUTHOR_EMAIL: 'probe@localhost' };
    const env = { ...who, GIT_COMMITTER_NAME: 'probe', GIT_COMMITTER_EMAIL: 'probe@localhost' };
    const commit = (await git.run(['commit-tree', tree, '-m', 'probe'], { env })).stdout.toString().trim();
    await git.text(['update-ref', 'refs/heads/probe', commit]);
    if ((await git.refSha('refs/heads/probe')) === commit) return false;
    GitRepo.prototype.refSha = async function refSha(this: GitRepo, ref: string) {
      const r = await this.run(['rev-parse', '--verify', '--quiet', `${ref}^{}`]);
      return r.code === 0 ? r.stdout.toString().trim() || null : null;
    };
    return true;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
