/** Requested reviewers (users and teams), reviews (APPROVE / REQUEST_CHANGES / COMMENT) and merging. */
import { memberOf } from '../auth.js';
import { commitOnBranch } from '../commit-on-branch.js';
import { iso } from '../core.js';
import { emitRepoEvent } from '../events.js';
import { ForgeHttpError, notFound, unprocessableSimple } from '../http-errors.js';
import type { Ctx, Router } from '../router.js';
import { bodyObject, oneOf, optString, optStringArray } from '../body.js';
import { created, intParam, noContent, ok, okPage } from '../router.js';
import { webFlowIdentity } from '../shapes/git.js';
import type { PullIssue } from '../shapes/pulls.js';
import { pullRange, pullSimpleJson, reviewJson } from '../shapes/pulls.js';
import { approvals, requiredApprovals } from '../rules.js';
import type { ReviewRec } from '../types.js';
import { loginOf, ofNumber, repoFor } from './common.js';
import { emitPull, findPull } from './pulls.js';

const EVENTS = ['APPROVE', 'REQUEST_CHANGES', 'COMMENT'] as const;
const STATE_OF: Record<(typeof EVENTS)[number], ReviewRec['state']> = {
  APPROVE: 'APPROVED',
  REQUEST_CHANGES: 'CHANGES_REQUESTED',
  COMMENT: 'COMMENTED',
};

async function requestReviewers(ctx: Ctx) {
  const { repo, key } = repoFor(ctx, 'pull_requests', 'write');
  const pr = findPull(ctx, key);
  const body = bodyObject(ctx);
  const users = optStringArray(body, 'reviewers', 'PullRequest') ?? [];
  const teams = optStringArray(body, 'team_reviewers', 'PullRequest') ?? [];
  const orgTeams = ctx.core.store.state.teams.filter((t) => t.org.toLowerCase() === repo.owner.toLowerCase());
  const badUser = users.some(
    (u) => !ctx.core.store.state.users[u.toLowerCase()] || !memberOf(ctx.core, u, repo.owner),
  );
  const badTeam = teams.some((t) => !orgTeams.some((o) => o.slug === t));
  if (badUser || badTeam) {
    throw new ForgeHttpError(
      422,
      `Reviews may only be requested from collaborators. One or more of the users or teams you specified is not a collaborator of the ${repo.owner}/${repo.name} repository.`,
    );
  }
  if (users.some((u) => u.toLowerCase() === pr.user.toLowerCase())) {
    throw new ForgeHttpError(422, 'Review cannot be requested from pull request author.');
  }
  for (const u of users) {
    const login = ctx.core.store.state.users[u.toLowerCase()]!.login;
    if (!pr.pull.requestedReviewers.includes(login)) pr.pull.requestedReviewers.push(login);
  }
  for (const t of teams) if (!pr.pull.requestedTeams.includes(t)) pr.pull.requestedTeams.push(t);
  pr.updatedAt = iso(ctx.core.now());
  ctx.core.store.save();
  for (const u of users) {
    await emitPull(ctx.core, repo, pr, 'review_requested', loginOf(ctx), {
      requested_reviewer: { login: u },
    });
  }
  return created(await pullSimpleJson(ctx.core, repo, pr));
}

async function createReview(ctx: Ctx) {
  const { repo, key } = repoFor(ctx, 'pull_requests', 'write');
  const pr = findPull(ctx, key);
  const body = bodyObject(ctx);
  const event = oneOf(optString(body, 'event', 'PullRequestReview'), EVENTS, 'event', 'PullRequestReview');
  const text = optString(body, 'body', 'PullRequestReview') ?? '';
  const me = loginOf(ctx);
  if (event === 'APPROVE' && me.toLowerCase() === pr.user.toLowerCase()) {
    throw unprocessableSimple('Can not approve your own pull request');
  }
  if (event === 'REQUEST_CHANGES' && me.toLowerCase() === pr.user.toLowerCase()) {
    throw unprocessableSimple('Can not request changes on your own pull request');
  }
  if ((event === 'REQUEST_CHANGES' || event === 'COMMENT') && !text) {
    throw unprocessableSimple(`Review Body is required when using ${event} event`);
  }
  const { head } = await pullRange(ctx.core, repo, pr);
  const review: ReviewRec = {
    id: ctx.core.store.id(),
    number: pr.number,
    user: me,
    body: text,
    state: event ? STATE_OF[event] : 'PENDING',
    commitId: optString(body, 'commit_id', 'PullRequestReview') ?? head,
    submittedAt: event ? iso(ctx.core.now()) : null,
  };
  ctx.core.store.list('reviews', key).push(review);
  pr.pull.requestedReviewers = pr.pull.requestedReviewers.filter((l) => l.toLowerCase() !== me.toLowerCase());
  ctx.core.store.save();
  if (event) {
    emitRepoEvent(ctx.core, repo, 'pull_request_review', me, {
      action: 'submitted',
      review: reviewJson(ctx.core, repo, review),
      pull_request: await pullSimpleJson(ctx.core, repo, pr),
    });
  }
  return ok(reviewJson(ctx.core, repo, review));
}

function mergeMessage(
  pr: PullIssue,
  owner: string,
  method: string,
  title?: string,
  message?: string,
): string {
  if (method === 'squash')
    return `${title ?? `${pr.title} (#${pr.number})`}\n\n${message ?? ''}`.trim() + '\n';
  const subject = title ?? `Merge pull request #${pr.number} from ${owner}/${pr.pull.headRef}`;
  return `${subject}\n\n${message ?? pr.title}\n`;
}

async function merge(ctx: Ctx) {
  const { repo, key, git } = repoFor(ctx, 'contents', 'write');
  const pr = findPull(ctx, key);
  const body = bodyObject(ctx);
  const method = oneOf(
    optString(body, 'merge_method', 'PullRequest') ?? 'merge',
    ['merge', 'squash', 'rebase'] as const,
    'merge_method',
    'PullRequest',
  )!;
  const notMergeable = (msg = 'Pull Request is not mergeable') => new ForgeHttpError(405, msg);
  if (pr.state !== 'open' || pr.pull.draft) throw notMergeable();
  const allowed = { merge: repo.allowMergeCommit, squash: repo.allowSquashMerge, rebase: false }[method];
  if (!allowed) {
    const label = { merge: 'Merge commits', squash: 'Squash merges', rebase: 'Rebase merges' }[method];
    throw notMergeable(`${label} are not allowed on this repository.`);
  }
  const { head, base } = await pullRange(ctx.core, repo, pr);
  const expected = optString(body, 'sha', 'PullRequest');
  if (expected && expected !== head)
    throw new ForgeHttpError(409, 'Head branch was modified. Review and try the merge again.');
  const need = requiredApprovals(ctx.core, repo, pr.pull.baseRef);
  const have = approvals(ctx.core.store.state.reviews[key] ?? [], pr.number, pr.user);
  if (have < need) {
    throw notMergeable(
      `Repository rule violations found\n\nAt least ${need} approving review${need === 1 ? ' is' : 's are'} required by reviewers with write access.\n\n`,
    );
  }
  const merged = await git.mergeTree(base, head);
  if (!merged.clean) throw notMergeable();
  const me = loginOf(ctx);
  const headCommit = (await git.readCommit(head))!;
  const message = mergeMessage(
    pr,
    repo.owner,
    method,
    optString(body, 'commit_title', 'PullRequest'),
    optString(body, 'commit_message', 'PullRequest'),
  );
  const github = { name: 'GitHub', email: 'noreply@github.com', date: iso(ctx.core.now()) };
  const author =
    method === 'squash' ? { ...headCommit.author, date: github.date } : webFlowIdentity(ctx.core, me);
  const { sha } = await commitOnBranch(ctx.core, repo, {
    branch: pr.pull.baseRef,
    message,
    author,
    committer: github,
    pusher: me,
    tree: merged.tree,
    parents: method === 'squash' ? [base] : [base, head],
    expectHead: base,
  });
  const now = iso(ctx.core.now());
  Object.assign(pr.pull, {
    merged: true,
    mergedAt: now,
    mergedBy: me,
    mergeCommitSha: sha,
    headSha: head,
    baseSha: base,
  });
  Object.assign(pr, { state: 'closed', closedAt: now, updatedAt: now });
  ctx.core.store.save();
  await emitPull(ctx.core, repo, pr, 'closed', me);
  if (repo.deleteBranchOnMerge) await git.deleteRef(`refs/heads/${pr.pull.headRef}`);
  return ok({ sha, merged: true, message: 'Pull Request successfully merged' });
}

export function registerReviewRoutes(r: Router): void {
  r.add('POST', '/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', requestReviewers);
  r.add('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/requested_reviewers', async (ctx) => {
    const { repo, key } = repoFor(ctx, 'pull_requests', 'read');
    const pr = await pullSimpleJson(ctx.core, repo, findPull(ctx, key));
    return ok({ users: pr.requested_reviewers, teams: pr.requested_teams });
  });
  r.add('POST', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', createReview);
  r.add('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews', (ctx) => {
    const { repo, key } = repoFor(ctx, 'pull_requests', 'read');
    const reviews = ofNumber(ctx.core.store.state.reviews[key], findPull(ctx, key).number);
    return okPage(ctx, reviews, (r) => reviewJson(ctx.core, repo, r));
  });
  r.add('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/reviews/{review_id}', (ctx) => {
    const { repo, key } = repoFor(ctx, 'pull_requests', 'read');
    const pr = findPull(ctx, key);
    const id = intParam(ctx, 'review_id');
    const review = (ctx.core.store.state.reviews[key] ?? []).find(
      (r) => r.id === id && r.number === pr.number,
    );
    if (!review) throw notFound();
    return ok(reviewJson(ctx.core, repo, review));
  });
  r.add('PUT', '/repos/{owner}/{repo}/pulls/{pull_number}/merge', merge);
  r.add('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/merge', (ctx) => {
    const { key } = repoFor(ctx, 'pull_requests', 'read');
    if (!findPull(ctx, key).pull.merged) throw notFound();
    return noContent;
  });
}
