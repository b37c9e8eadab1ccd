/**
 * Auto-merge is enabled only when every gate agrees: the sync config asks for it, no approvals are required,
 * the target allows auto-merge, the PR is not a draft, and the policy bundle allows the change. The policy is
 * asked about the *write* (secrets, protected paths, binaries, limits, verified commits): required checks
 * and approvals cannot have happened yet, and GitHub's auto-merge itself waits for branch protection.
 */
import type { SyncTarget } from './config.js';
import type { PullInfo, RepoInfo } from './port.js';

export interface PolicyVerdict {
  allow: boolean;
  /** One line for the summary (the denying rules). */
  summary: string;
}

/** The policy port: evaluates a sync PR in a target. */
export interface PolicyGate {
  check(repo: string, pull: PullInfo): Promise<PolicyVerdict>;
}

/** Why auto-merge must stay off, or undefined when only the policy is left to ask. */
export function autoMergeBlocker(
  target: Pick<SyncTarget, 'autoMerge' | 'requireApprovals'>,
  repo: RepoInfo,
  pull: PullInfo,
): string | undefined {
  if (!target.autoMerge) return 'auto_merge is off in the sync config';
  if (target.requireApprovals > 0) return `require_approvals is ${target.requireApprovals}`;
  if (!repo.allowAutoMerge) return 'the repository does not allow auto-merge';
  if (pull.draft) return 'the PR is a draft';
  return undefined;
}
