/**
 * One target, start to finish. Reads (repo, default-branch ref, its tree once recursively, the sync state,
 * the sync branch and its PRs), plans three-way, then decides: nothing to do (zero writes), close a stale PR,
 * stop because people pushed to the sync branch, or write one commit and create/update the PR. Every
 * decision is made before the first write, and every write is idempotent, so a rerun converges.
 */
import type { Logger } from '@autocode/toolkit';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { RateBudget } from './budget.js';
import { estimateWrites } from './budget.js';
import type { SyncTarget } from './config.js';
import { blobSha, treeSha } from './git-hash.js';
import { isSyncCommitMessage, parseMarker } from './messages.js';
import type { TargetPlan } from './plan.js';
import { desiredLeaves, planTarget } from './plan.js';
import type { PullInfo, RepoInfo, TargetPort, TreeListing } from './port.js';
import type { PlanSummary, PrAction, TargetResult } from './result.js';
import type { SyncState } from './state.js';
import { parseState, serializeState, statePath } from './state.js';
import type { SourceSnapshot } from './types.js';
import { applySync, prepareWrites } from './apply.js';
import type { PolicyGate } from './automerge.js';

export interface SyncContext {
  target: SyncTarget;
  source: SourceSnapshot;
  port: TargetPort;
  budget: RateBudget;
  dryRun: boolean;
  runUrl?: string;
  policy?: PolicyGate;
  log: Logger;
}

/** Everything read and decided before the first write. */
export interface Inspection {
  repo: RepoInfo;
  base: string;
  tree: TreeListing;
  prevState: SyncState | undefined;
  plan: TargetPlan;
  stateText: string | undefined;
  desiredTree: string;
  matches: boolean;
  branchSha: string | undefined;
  openPr: PullInfo | undefined;
  lastPr: PullInfo | undefined;
  /** The sync branch head is our own commit, or holds nothing the default branch lacks. */
  branchSafe: boolean;
  /** The sync branch already holds the desired tree. */
  branchCurrent: boolean;
  humanCommits: number;
  /** The last sync PR reported conflicts: a conflict issue may be open and need closing. */
  hadConflicts: boolean;
}

const decoder = new TextDecoder();

export async function inspectTarget(ctx: SyncContext): Promise<Inspection> {
  const { port, target, source } = ctx;
  // The sync branch and its PRs first: a sync PR's base repository carries the default branch and settings,
  // so a target synced before needs no `GET /repos`.
  const branchSha = await port.getBranchSha(target.branch);
  const pulls = branchSha ? await port.listPulls(target.branch) : [];
  const openPr = pulls.find((p) => p.state === 'open');
  const repo = pulls[0]?.repo ?? (await port.getRepo());
  if (repo.archived) {
    throw new AutocodeError(ErrorCodes.FORBIDDEN, `${target.repo} is archived`, {
      hint: 'unarchive it or drop it from the sync config',
    });
  }
  const base = await port.getBranchSha(repo.defaultBranch);
  if (!base) {
    throw new AutocodeError(ErrorCodes.NOT_FOUND, `${target.repo} has no commits on ${repo.defaultBranch}`, {
      hint: 'push an initial commit first',
    });
  }
  const tree = await port.getTree(base);
  if (tree.truncated) {
    throw new AutocodeError(
      ErrorCodes.PAYLOAD_TOO_LARGE,
      `${target.repo}: GitHub truncated the recursive tree (over 100,000 entries or 7 MB)`,
      { hint: 'such repositories are not supported by one-request tree reads; split the target' },
    );
  }
  const sp = statePath(source.repo);
  const stateEntry = tree.entries.find((e) => e.path === sp && e.type === 'blob');
  const prevState = stateEntry
    ? parseState(decoder.decode(await port.getBlob(stateEntry.sha)), `${target.repo}:${sp}`)
    : undefined;
  const plan = planTarget({ target, source, tree: tree.entries, state: prevState, statePath: sp });
  if (plan.unsafe.length) {
    throw new AutocodeError(
      ErrorCodes.UNSAFE_PATH,
      `${target.repo}: refused before any write: ${plan.unsafe.map((u) => `${u.path} ${u.problem}`).join('; ')}`,
      {
        hint: 'exclude these paths in the sync config (exclude:) or fix them in the repository',
        details: { unsafe: plan.unsafe },
      },
    );
  }
  const writeState = Object.keys(plan.state.files).length > 0 || !!stateEntry;
  const stateText = writeState ? serializeState(plan.state) : undefined;
  const stateFile = stateText
    ? { path: sp, sha: await blobSha(new TextEncoder().encode(stateText)) }
    : undefined;
  const desiredTree = await treeSha(desiredLeaves(tree.entries, plan.changes, stateFile));

  let branchSafe = true;
  let branchCurrent = false;
  let humanCommits = 0;
  if (branchSha) {
    // The newest sync PR (open, or merged/closed with the branch left behind) names the commit it holds.
    const newest = openPr ?? pulls[0];
    const marker = newest ? parseMarker(newest.body) : undefined;
    let headTree: string;
    if (marker && marker.commit === branchSha) headTree = marker.tree;
    else {
      const head = await port.getCommit(branchSha);
      headTree = head.tree;
      if (!(head.verified && isSyncCommitMessage(head.message, source.repo))) {
        humanCommits = await port.aheadBy(base, branchSha);
        branchSafe = humanCommits === 0;
      }
    }
    branchCurrent = headTree === desiredTree;
  }
  return {
    repo,
    base,
    tree,
    prevState,
    plan,
    stateText,
    desiredTree,
    matches: desiredTree === tree.sha,
    branchSha,
    openPr,
    lastPr: pulls[0],
    branchSafe,
    branchCurrent,
    humanCommits,
    hadConflicts: pulls.slice(0, 1).some((p) => (parseMarker(p.body)?.conflicts ?? 0) > 0),
  };
}

export function summarize(ctx: SyncContext, i: Inspection, prAction: PrAction): PlanSummary {
  const by = (a: string) => i.plan.changes.filter((c) => c.action === a).map((c) => c.path);
  return {
    base: i.repo.defaultBranch,
    branch: ctx.target.branch,
    added: by('add'),
    modified: by('modify'),
    deleted: by('delete'),
    conflicts: i.plan.conflicts,
    unchanged: i.plan.unchanged,
    selected: i.plan.selected,
    prAction,
    binary: 0,
  };
}

/** What the PR side will do, decided from the inspection alone (the dry run reports exactly this). */
export function prActionFor(ctx: SyncContext, i: Inspection): PrAction {
  if (i.matches) return i.openPr ? 'close' : 'none';
  if (!ctx.target.createPr) return 'branch-only';
  return i.openPr ? 'update' : 'create';
}

export async function syncTarget(ctx: SyncContext): Promise<TargetResult> {
  const i = await inspectTarget(ctx);
  const action = prActionFor(ctx, i);
  const plan = summarize(ctx, i, action);
  const result: TargetResult = { repo: ctx.target.repo, status: 'planned', message: '', plan, writes: 0 };
  const failOnConflict = ctx.target.onConflict === 'fail' && i.plan.conflicts.length > 0;
  const blocked = !i.branchSafe && (action !== 'none' || failOnConflict);
  if (blocked) {
    const pr = i.openPr ? ` (PR #${i.openPr.number})` : '';
    result.status = 'blocked';
    result.message = `${i.humanCommits} commit(s) pushed by people to ${ctx.target.branch}${pr}: not overwritten; merge or close the PR and delete the branch to resume syncing`;
    if (ctx.dryRun) return result;
  }
  if (ctx.dryRun) {
    result.message = failOnConflict
      ? `would stop: ${i.plan.conflicts.length} conflict(s) and on_conflict is fail`
      : describeAction(action, i);
    return result;
  }
  if (blocked) return result;
  if (!i.repo.canPush) {
    throw new AutocodeError(ErrorCodes.FORBIDDEN, `the App can read ${ctx.target.repo} but not push to it`, {
      hint: 'grant the installation contents, pull requests and issues: write',
    });
  }
  const declined =
    action === 'create' &&
    i.branchCurrent &&
    i.lastPr &&
    !i.lastPr.merged &&
    i.lastPr.headSha === i.branchSha;
  if (declined) {
    result.status = 'declined';
    result.message = `PR #${i.lastPr!.number} with exactly this content was closed by people; not reopened until the source changes`;
    return result;
  }
  const writes = i.matches || i.branchCurrent ? undefined : await prepareWrites(ctx, i);
  plan.binary = writes?.binaries.length ?? 0;
  const estimate = estimateWrites({
    binaryBlobs: plan.binary,
    commit: !i.matches && !i.branchCurrent,
    newPull: action === 'create',
    labels: ctx.target.labels.length > 0,
    reviewers: ctx.target.reviewers.users.length + ctx.target.reviewers.teams.length > 0,
    conflictIssue: i.plan.conflicts.length > 0,
    autoMerge: ctx.target.autoMerge,
  });
  if (!ctx.budget.tryReserve(estimate)) {
    result.status = 'deferred';
    result.message = `needs ~${estimate} writes; only ${ctx.budget.available()} left in this hour's budget (${ctx.budget.perHour}/h): rerun later`;
    return result;
  }
  try {
    return await applySync(ctx, i, result, { failOnConflict, writes });
  } finally {
    ctx.budget.release(estimate);
  }
}

function describeAction(action: PrAction, i: Inspection): string {
  const n = i.plan.changes.length;
  switch (action) {
    case 'none':
      return 'already in sync';
    case 'close':
      return `target already matches; would close PR #${i.openPr?.number}`;
    case 'branch-only':
      return `would commit ${n} change(s) to the sync branch (create_pr: false)`;
    case 'update':
      return i.branchCurrent
        ? `PR #${i.openPr?.number} is current`
        : `would update PR #${i.openPr?.number} with ${n} change(s)`;
    case 'create':
      return `would open a PR with ${n} change(s)`;
  }
}
