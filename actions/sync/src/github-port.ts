/**
 * `TargetPort` over the toolkit's Octokit (retries, throttling, App token refresh). Every content-creating call
 * takes a slot of the shared `RateBudget` first. Text goes inline in `POST /git/trees`; only binary files are
 * uploaded as blobs (`POST /git/blobs`, base64).
 */
import type { GitHubClient } from '@autocode/toolkit';
import { AutocodeError, ErrorCodes, toAutocodeError } from '@autocode/toolkit';
import type { RateBudget } from './budget.js';
import type { CommitInfo, IssueInfo, PullInfo, RepoInfo, TargetPort, TreeWrite } from './port.js';
import type { TreeEntry } from './types.js';

interface RawRepo {
  default_branch: string;
  allow_auto_merge?: boolean;
  archived?: boolean;
  permissions?: { push?: boolean };
}

function repoInfo(data: RawRepo): RepoInfo {
  return {
    defaultBranch: data.default_branch,
    allowAutoMerge: data.allow_auto_merge === true,
    archived: data.archived === true,
    canPush: data.permissions ? data.permissions.push === true : true,
  };
}

interface RawPull {
  number: number;
  html_url: string;
  node_id: string;
  state: string;
  merged_at?: string | null;
  merge_commit_sha?: string | null;
  title: string;
  body?: string | null;
  head: { sha: string };
  base: { ref: string; repo?: RawRepo | null };
  labels?: { name?: string }[];
  draft?: boolean;
}

function pullInfo(p: RawPull): PullInfo {
  return {
    number: p.number,
    url: p.html_url,
    nodeId: p.node_id,
    state: p.state === 'open' ? 'open' : 'closed',
    merged: !!p.merged_at,
    mergeCommitSha: p.merge_commit_sha ?? null,
    title: p.title,
    body: p.body ?? '',
    headSha: p.head.sha,
    baseRef: p.base.ref,
    labels: (p.labels ?? []).map((l) => l.name ?? '').filter(Boolean),
    draft: !!p.draft,
    ...(p.base.repo?.default_branch ? { repo: repoInfo(p.base.repo) } : {}),
  };
}

function issueInfo(i: {
  number: number;
  html_url: string;
  title: string;
  body?: string | null;
  state: string;
}): IssueInfo {
  return {
    number: i.number,
    url: i.html_url,
    title: i.title,
    body: i.body ?? '',
    state: i.state === 'open' ? 'open' : 'closed',
  };
}

const status = (err: unknown) => (err as { status?: number }).status;

function accessError(err: unknown, repo: string): AutocodeError {
  if (status(err) === 404 || (status(err) === 403 && !/rate limit/i.test((err as Error).message))) {
    return new AutocodeError(ErrorCodes.FORBIDDEN, `the App cannot access ${repo}`, {
      cause: err,
      hint: `install the GitHub App on ${repo} (contents, pull requests and issues: write), or fix the name in the sync config`,
    });
  }
  return toAutocodeError(err);
}

export function githubTargetPort(octokit: GitHubClient, repo: string, budget: RateBudget): TargetPort {
  const [owner = '', name = ''] = repo.split('/');
  const r = { owner, repo: name };
  const write = async <T>(fn: () => Promise<T>): Promise<T> => {
    await budget.take();
    return fn();
  };
  const commitInfo = (c: {
    sha: string;
    tree: { sha: string };
    message: string;
    verification?: { verified: boolean } | null;
    parents: { sha: string }[];
  }): CommitInfo => ({
    sha: c.sha,
    tree: c.tree.sha,
    message: c.message,
    verified: c.verification?.verified === true,
    parents: c.parents.map((p) => p.sha),
  });

  return {
    repo,
    async getRepo() {
      try {
        return repoInfo((await octokit.rest.repos.get(r)).data);
      } catch (err) {
        throw accessError(err, repo);
      }
    },
    async getBranchSha(branch) {
      // matching-refs answers [] for a missing branch instead of a 404 (which Octokit logs as an error); a 404
      // here means the repository itself is out of reach.
      try {
        const { data } = await octokit.rest.git.listMatchingRefs({ ...r, ref: `heads/${branch}` });
        return data.find((x) => x.ref === `refs/heads/${branch}`)?.object.sha;
      } catch (err) {
        throw accessError(err, repo);
      }
    },
    async getTree(sha) {
      const { data } = await octokit.rest.git.getTree({ ...r, tree_sha: sha, recursive: '1' });
      const entries: TreeEntry[] = data.tree.map((e) => ({
        path: e.path ?? '',
        mode: e.mode ?? '100644',
        type: (e.type ?? 'blob') as TreeEntry['type'],
        sha: e.sha ?? '',
      }));
      return { sha: data.sha, entries, truncated: data.truncated };
    },
    async getBlob(sha) {
      const { data } = await octokit.rest.git.getBlob({ ...r, file_sha: sha });
      return new Uint8Array(Buffer.from(data.content, data.encoding === 'base64' ? 'base64' : 'utf8'));
    },
    async getCommit(sha) {
      const { data } = await octokit.rest.git.getCommit({ ...r, commit_sha: sha });
      return commitInfo(data);
    },
    async listPulls(branch) {
      const { data } = await octokit.rest.pulls.list({
        ...r,
        head: `${owner}:${branch}`,
        state: 'all',
        sort: 'created',
        direction: 'desc',
        per_page: 20,
      });
      return (data as RawPull[]).map(pullInfo);
    },
    async findIssue(label, marker) {
      const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
        ...r,
        state: 'open',
        labels: label,
        per_page: 100,
      });
      const hit = issues.find((i) => !i.pull_request && (i.body ?? '').includes(marker));
      return hit ? issueInfo(hit) : undefined;
    },
    async aheadBy(base, head) {
      const { data } = await octokit.rest.repos.compareCommitsWithBasehead({
        ...r,
        basehead: `${base}...${head}`,
        per_page: 1,
      });
      return data.ahead_by;
    },
    async readFileAt(ref, path) {
      try {
        const { data } = await octokit.rest.repos.getContent({ ...r, path, ref });
        if (Array.isArray(data) || data.type !== 'file') return undefined;
        return new Uint8Array(Buffer.from((data as { content: string }).content, 'base64'));
      } catch (err) {
        if (status(err) === 404) return undefined;
        throw err;
      }
    },
    async commitsTouching(ref, path, limit) {
      const { data } = await octokit.rest.repos.listCommits({
        ...r,
        sha: ref,
        path,
        per_page: Math.min(limit, 100),
      });
      return data.map((c) => c.sha);
    },

    createBlob: (content) =>
      write(async () => {
        const { data } = await octokit.rest.git.createBlob({
          ...r,
          content: Buffer.from(content).toString('base64'),
          encoding: 'base64',
        });
        return data.sha;
      }),
    createTree: (baseTree, entries: TreeWrite[]) =>
      write(async () => {
        const tree = entries.map((e) => ({ ...e, type: 'blob' as const, mode: e.mode as '100644' }));
        const { data } = await octokit.rest.git.createTree({ ...r, base_tree: baseTree, tree });
        return data.sha;
      }),
    createCommit: ({ message, tree, parents }) =>
      write(async () => {
        const { data } = await octokit.rest.git.createCommit({ ...r, message, tree, parents });
        return commitInfo(data);
      }),
    createBranch: (branch, sha) =>
      write(async () => {
        await octokit.rest.git.createRef({ ...r, ref: `refs/heads/${branch}`, sha });
      }),
    updateBranch: (branch, sha, force) =>
      write(async () => {
        await octokit.rest.git.updateRef({ ...r, ref: `heads/${branch}`, sha, force });
      }),
    deleteBranch: (branch) =>
      write(async () => {
        await octokit.rest.git.deleteRef({ ...r, ref: `heads/${branch}` });
      }),
    createPull: (input) =>
      write(async () => {
        const { data } = await octokit.rest.pulls.create({ ...r, ...input, maintainer_can_modify: true });
        return pullInfo(data as RawPull);
      }),
    updatePull: (number, patch) =>
      write(async () => {
        await octokit.rest.pulls.update({ ...r, pull_number: number, ...patch });
      }),
    addLabels: (number, labels) =>
      write(async () => {
        await octokit.rest.issues.addLabels({ ...r, issue_number: number, labels });
      }),
    requestReviewers: (number, users, teams) =>
      write(async () => {
        await octokit.rest.pulls.requestReviewers({
          ...r,
          pull_number: number,
          reviewers: users,
          team_reviewers: teams,
        });
      }),
    createIssue: (input) =>
      write(async () => {
        const { data } = await octokit.rest.issues.create({ ...r, ...input });
        return issueInfo(data);
      }),
    updateIssue: (number, patch) =>
      write(async () => {
        await octokit.rest.issues.update({ ...r, issue_number: number, ...patch });
      }),
    enableAutoMerge: (pull, method) =>
      write(async () => {
        try {
          await octokit.graphql(
            `mutation($id: ID!, $mergeMethod: PullRequestMergeMethod!) {
              enablePullRequestAutoMerge(input: { pullRequestId: $id, mergeMethod: $mergeMethod }) { clientMutationId }
            }`,
            { id: pull.nodeId, mergeMethod: method },
          );
          return true as const;
        } catch (err) {
          return (err as Error).message;
        }
      }),
  };
}
