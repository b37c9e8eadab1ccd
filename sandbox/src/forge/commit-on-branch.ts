/**
 * A GitHub-side commit on a branch (contents API, merges): build the tree, write a commit GitHub "signs"
 * (verified), move the branch with compare-and-swap and send the `push` webhook.
 */
import { moveBranch } from './admin.js';
import type { ForgeCore } from './core.js';
import type { GitIdentity } from './git.js';
import { ForgeHttpError } from './http-errors.js';
import { buildTree, type TreeEdit } from './tree-builder.js';
import type { RepoRec } from './types.js';

export interface BranchCommit {
  branch: string;
  message: string;
  author: GitIdentity;
  committer: GitIdentity;
  pusher: string;
  /** Edits on top of the branch head's tree, or a ready tree. */
  edits?: TreeEdit[];
  tree?: string;
  /** Extra parents after the branch head (merge commits). */
  extraParents?: string[];
  /** Replace the parents entirely (squash onto a base). */
  parents?: string[];
  /** Refuse unless the branch head is this SHA. */
  expectHead?: string;
}

export async function commitOnBranch(
  core: ForgeCore,
  repo: RepoRec,
  spec: BranchCommit,
): Promise<{ sha: string; parent: string | null }> {
  const git = core.git(repo);
  const ref = `refs/heads/${spec.branch}`;
  return core.lock(repo.id.toString(), async () => {
    const head = await git.refSha(ref);
    if (spec.expectHead && head !== spec.expectHead) {
      throw new ForgeHttpError(409, 'Head branch was modified. Review and try the merge again.');
    }
    const baseTree = head ? ((await git.readCommit(head))?.tree ?? null) : null;
    const tree = spec.tree ?? (await buildTree(git, baseTree, spec.edits ?? []));
    const parents = spec.parents ?? [...(head ? [head] : []), ...(spec.extraParents ?? [])];
    const sha = await git.commitTree({
      tree,
      parents,
      message: spec.message,
      author: spec.author,
      committer: spec.committer,
    });
    core.store.markVerified(sha);
    if (!(await moveBranch(core, repo, ref, sha, head, spec.pusher))) {
      throw new ForgeHttpError(409, `${spec.branch} was updated concurrently; retry`);
    }
    return { sha, parent: head };
  });
}
