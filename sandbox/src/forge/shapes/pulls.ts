/** Pull requests and reviews in GitHub's `pull-request`, `pull-request-simple` and `pull-request-review`. */
import type { ForgeCore } from '../core.js';
import { nodeId, repoKey } from '../core.js';
import { diffFiles } from '../diff.js';
import { approvals, requiredApprovals } from '../rules.js';
import type { IssueRec, PullRec, RepoRec, ReviewRec } from '../types.js';
import { simpleUser, teamSimple } from './accounts.js';
import { api, html } from './git.js';
import { association, labelsOf } from './issues.js';
import { repository } from './repo.js';

export type PullIssue = IssueRec & { pull: PullRec };

/** The PR's head SHA: the live branch while open, the frozen SHA once closed. */
export async function headSha(core: ForgeCore, repo: RepoRec, pr: PullIssue): Promise<string> {
  if (pr.state === 'open') {
    const headRepo = core.store.state.repos[pr.pull.headRepo] ?? repo;
    const live = await core.git(headRepo).refSha(`refs/heads/${pr.pull.headRef}`);
    if (live && live !== pr.pull.headSha) pr.pull.headSha = live;
  }
  return pr.pull.headSha;
}

async function side(core: ForgeCore, repo: RepoRec, ref: string, sha: string) {
  return {
    label: `${repo.owner}:${ref}`,
    ref,
    sha,
    user: simpleUser(core, repo.owner),
    repo: repository(core, repo),
  };
}

export async function pullSimpleJson(core: ForgeCore, repo: RepoRec, pr: PullIssue) {
  const a = `${api(core, repo)}/pulls/${pr.number}`;
  const h = `${html(core, repo)}/pull/${pr.number}`;
  const issue = `${api(core, repo)}/issues/${pr.number}`;
  const head = await headSha(core, repo, pr);
  const baseSha = (await core.git(repo).refSha(`refs/heads/${pr.pull.baseRef}`)) ?? head;
  const headRepo = core.store.state.repos[pr.pull.headRepo] ?? repo;
  const teams = core.store.state.teams.filter(
    (t) => pr.pull.requestedTeams.includes(t.slug) && t.org === repo.owner,
  );
  return {
    url: a,
    id: pr.id,
    node_id: nodeId('PullRequest', pr.id),
    html_url: h,
    diff_url: `${h}.diff`,
    patch_url: `${h}.patch`,
    issue_url: issue,
    commits_url: `${a}/commits`,
    review_comments_url: `${a}/comments`,
    review_comment_url: `${api(core, repo)}/pulls/comments{/number}`,
    comments_url: `${issue}/comments`,
    statuses_url: `${api(core, repo)}/statuses/${head}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: simpleUser(core, pr.user),
    body: pr.body,
    labels: labelsOf(core, repo, pr.labels),
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.pull.mergedAt,
    merge_commit_sha: pr.pull.mergeCommitSha,
    assignee: pr.assignees[0] ? simpleUser(core, pr.assignees[0]) : null,
    assignees: pr.assignees.map((l) => simpleUser(core, l)),
    requested_reviewers: pr.pull.requestedReviewers.map((l) => simpleUser(core, l)),
    requested_teams: teams.map((t) => teamSimple(core, t)),
    head: await side(core, headRepo, pr.pull.headRef, head),
    base: await side(core, repo, pr.pull.baseRef, baseSha),
    _links: {
      self: { href: a },
      html: { href: h },
      issue: { href: issue },
      comments: { href: `${issue}/comments` },
      review_comments: { href: `${a}/comments` },
      review_comment: { href: `${api(core, repo)}/pulls/comments{/number}` },
      commits: { href: `${a}/commits` },
      statuses: { href: `${api(core, repo)}/statuses/${head}` },
    },
    author_association: association(core, repo, pr.user),
    auto_merge: null,
    draft: pr.pull.draft,
  };
}

/** The commits a PR consists of are `base..head`; a closed PR keeps the base it had when it closed. */
export async function pullRange(core: ForgeCore, repo: RepoRec, pr: PullIssue) {
  const git = core.git(repo);
  const head = await headSha(core, repo, pr);
  const live = (await git.refSha(`refs/heads/${pr.pull.baseRef}`)) ?? head;
  const base = pr.state === 'open' ? live : (pr.pull.baseSha ?? live);
  const mergeBase = (await git.mergeBase(base, head)) ?? base;
  return { head, base, mergeBase };
}

/** Full `pull-request`: adds mergeability and diff stats, which need git work. */
export async function pullJson(core: ForgeCore, repo: RepoRec, pr: PullIssue) {
  const simple = await pullSimpleJson(core, repo, pr);
  const git = core.git(repo);
  const { head, base, mergeBase } = await pullRange(core, repo, pr);
  const files = await diffFiles(git, mergeBase, head);
  const commits = await git.revList(head, base);
  let mergeable: boolean | null = null;
  let state = 'unknown';
  if (pr.state === 'open') {
    mergeable = (await git.mergeTree(base, head)).clean;
    const reviews = core.store.state.reviews[repoKey(repo)] ?? [];
    const blocked = approvals(reviews, pr.number, pr.user) < requiredApprovals(core, repo, pr.pull.baseRef);
    state = !mergeable ? 'dirty' : pr.pull.draft ? 'draft' : blocked ? 'blocked' : 'clean';
  }
  const comments = (core.store.state.comments[repoKey(repo)] ?? []).filter((c) => c.number === pr.number);
  return {
    ...simple,
    merged: pr.pull.merged,
    mergeable,
    rebaseable: mergeable,
    mergeable_state: state,
    merged_by: pr.pull.mergedBy ? simpleUser(core, pr.pull.mergedBy) : null,
    comments: comments.length,
    review_comments: 0,
    maintainer_can_modify: pr.pull.maintainerCanModify,
    commits: commits.length,
    additions: files.reduce((n, f) => n + f.additions, 0),
    deletions: files.reduce((n, f) => n + f.deletions, 0),
    changed_files: files.length,
  };
}

export function reviewJson(core: ForgeCore, repo: RepoRec, review: ReviewRec) {
  const pull = `${api(core, repo)}/pulls/${review.number}`;
  const page = `${html(core, repo)}/pull/${review.number}#pullrequestreview-${review.id}`;
  return {
    id: review.id,
    node_id: nodeId('PullRequestReview', review.id),
    user: simpleUser(core, review.user),
    body: review.body,
    state: review.state,
    html_url: page,
    pull_request_url: pull,
    _links: { html: { href: page }, pull_request: { href: pull } },
    ...(review.submittedAt ? { submitted_at: review.submittedAt } : {}),
    commit_id: review.commitId,
    author_association: association(core, repo, review.user),
  };
}
