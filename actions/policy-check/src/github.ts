/**
 * GitHub adapter: everything the policy check reads, in as few calls as pagination allows — the PR, its files
 * (with patches), commits (with verification), reviews, the head commit's check runs, and the policy config
 * from the *base* branch (a PR must not be able to relax its own policy).
 */
import type { GitHubClient } from '@autocode/toolkit';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { PolicyConfig, PullRequestData } from '@autocode/policies';
import { parsePolicyConfig } from '@autocode/policies/node';

/** A type alias (not an interface) so it satisfies Octokit's index-signature request parameters. */
export type PullRef = {
  owner: string;
  repo: string;
  pull_number: number;
};

export async function fetchPullRequest(octokit: GitHubClient, ref: PullRef): Promise<PullRequestData> {
  const { data: pull } = await octokit.rest.pulls.get(ref);
  const per_page = 100;
  const [files, commits, reviews, checkRuns] = await Promise.all([
    octokit.paginate(octokit.rest.pulls.listFiles, { ...ref, per_page }),
    octokit.paginate(octokit.rest.pulls.listCommits, { ...ref, per_page }),
    octokit.paginate(octokit.rest.pulls.listReviews, { ...ref, per_page }),
    octokit.paginate(octokit.rest.checks.listForRef, {
      owner: ref.owner,
      repo: ref.repo,
      ref: pull.head.sha,
      per_page,
    }),
  ]);
  return { pull, files, commits, reviews, checkRuns };
}

/** The policy config at `path` on `branch`; `{}` (defaults) when the file does not exist. */
export async function fetchPolicyConfig(
  octokit: GitHubClient,
  ref: Omit<PullRef, 'pull_number'>,
  branch: string,
  path: string,
): Promise<PolicyConfig> {
  let content: string;
  try {
    const { data } = await octokit.rest.repos.getContent({ ...ref, path, ref: branch });
    if (Array.isArray(data) || data.type !== 'file' || typeof data.content !== 'string') {
      throw new AutocodeError(ErrorCodes.CONFIG_INVALID, `policy config ${path} is not a file`, {
        hint: 'point the `config` input at a YAML file',
      });
    }
    content = Buffer.from(data.content, 'base64').toString('utf8');
  } catch (err) {
    if ((err as { status?: number }).status === 404) return {};
    throw err;
  }
  return parsePolicyConfig(content, path);
}
