/**
 * The write half of a target sync: one tree (text inline, binaries as blobs, deletions as `sha: null`), one
 * commit created by the App (so GitHub marks it Verified) with provenance trailers, the branch moved (forced
 * only over our own commit — checked before), then the PR, labels, reviewers, auto-merge and the conflict
 * issue, each written only when it differs from what is already there.
 */
import { autoMergeBlocker } from './automerge.js';
import type { Inspection, SyncContext } from './target-sync.js';
import { asText } from './text.js';
import {
  CONFLICT_LABEL,
  commitMessage,
  conflictIssue,
  conflictMarker,
  pullBody,
  pullTitle,
} from './messages.js';
import type { PullInfo, TreeWrite } from './port.js';
import type { TargetResult } from './result.js';
import { statePath } from './state.js';
import type { FileMode } from './types.js';

export interface PreparedWrites {
  /** Inline text, deletions and the state file. */
  entries: TreeWrite[];
  binaries: { path: string; mode: FileMode; bytes: Uint8Array }[];
}

export async function prepareWrites(ctx: SyncContext, i: Inspection): Promise<PreparedWrites> {
  const entries: TreeWrite[] = [];
  const binaries: PreparedWrites['binaries'] = [];
  for (const c of i.plan.changes) {
    if (c.action === 'delete') {
      entries.push({ path: c.path, mode: '100644', sha: null });
      continue;
    }
    const bytes = await ctx.source.read(c.path);
    const text = asText(bytes);
    if (text === undefined) binaries.push({ path: c.path, mode: c.mode, bytes });
    else entries.push({ path: c.path, mode: c.mode, content: text });
  }
  if (i.stateText) entries.push({ path: statePath(ctx.source.repo), mode: '100644', content: i.stateText });
  return { entries, binaries };
}

export async function applySync(
  ctx: SyncContext,
  i: Inspection,
  result: TargetResult,
  opts: { failOnConflict: boolean; writes: PreparedWrites | undefined },
): Promise<TargetResult> {
  const { port, target, source } = ctx;
  const conflicts = i.plan.conflicts.length;
  if (opts.failOnConflict) {
    result.issue = await reportConflicts(ctx, i);
    result.status = 'conflict';
    result.message = `${conflicts} conflict(s) and on_conflict is fail: nothing synced`;
    return result;
  }
  if (i.matches) {
    if (i.openPr) {
      await port.updatePull(i.openPr.number, { state: 'closed' });
      await port.deleteBranch(target.branch);
      result.status = 'closed';
      result.pr = { number: i.openPr.number, url: i.openPr.url };
      result.message = `the target already matches the source: closed PR #${i.openPr.number}`;
    } else {
      result.status = 'unchanged';
      result.message = conflicts ? `in sync; ${conflicts} conflict(s) left as edited` : 'already in sync';
    }
    result.issue = await reportConflicts(ctx, i);
    return result;
  }

  let head = i.branchSha!;
  const committed = !i.branchCurrent;
  if (committed) {
    const entries = [...opts.writes!.entries];
    for (const b of opts.writes!.binaries)
      entries.push({ path: b.path, mode: b.mode, sha: await port.createBlob(b.bytes) });
    const tree = await port.createTree(i.tree.sha, entries);
    if (tree !== i.desiredTree) {
      ctx.log.warning(
        `${target.repo}: GitHub built tree ${tree}, expected ${i.desiredTree}; the next run will recompute`,
      );
    }
    const message = commitMessage({
      source: source.repo,
      sourceSha: source.sha,
      changes: i.plan.changes,
      ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
    });
    const commit = await port.createCommit({ message, tree, parents: [i.base] });
    if (i.branchSha) await port.updateBranch(target.branch, commit.sha, true);
    else await port.createBranch(target.branch, commit.sha);
    head = commit.sha;
    result.commit = commit.sha;
  }

  if (!target.createPr) {
    result.status = committed ? 'branch-updated' : 'unchanged';
    result.message = committed
      ? `committed to ${target.branch} (create_pr: false)`
      : `${target.branch} is current`;
  } else {
    const pr = await upsertPull(ctx, i, result, head, committed);
    result.pr = { number: pr.number, url: pr.url };
    if (result.status === 'created' || committed) result.autoMerge = await autoMerge(ctx, i, pr);
  }
  result.issue = await reportConflicts(ctx, i);
  return result;
}

async function upsertPull(
  ctx: SyncContext,
  i: Inspection,
  result: TargetResult,
  head: string,
  committed: boolean,
): Promise<PullInfo> {
  const { port, target, source } = ctx;
  const title = pullTitle(source.repo);
  const body = pullBody({
    source: source.repo,
    sourceSha: i.plan.state.source_sha,
    changes: i.plan.changes,
    conflicts: i.plan.conflicts,
    marker: {
      source: source.repo,
      source_sha: i.plan.state.source_sha,
      commit: head,
      tree: i.desiredTree,
      ...(i.plan.conflicts.length ? { conflicts: i.plan.conflicts.length } : {}),
    },
  });
  let pr = i.openPr;
  if (pr) {
    const edited = pr.title !== title || pr.body !== body;
    if (edited) await port.updatePull(pr.number, { title, body });
    const missing = target.labels.filter((l) => !pr!.labels.some((x) => x.toLowerCase() === l.toLowerCase()));
    if (missing.length) await port.addLabels(pr.number, missing);
    result.status = committed || edited ? 'updated' : 'unchanged';
    result.message = committed
      ? `updated PR #${pr.number}`
      : edited
        ? `refreshed PR #${pr.number}`
        : `PR #${pr.number} is current`;
    return pr;
  }
  pr = await port.createPull({
    title,
    body,
    head: target.branch,
    base: i.repo.defaultBranch,
    draft: target.draft,
  });
  if (target.labels.length) await port.addLabels(pr.number, target.labels);
  const { users, teams } = target.reviewers;
  if (users.length + teams.length) {
    try {
      await port.requestReviewers(pr.number, users, teams);
    } catch (err) {
      ctx.log.warning(
        `${target.repo}: could not request reviewers ${[...users, ...teams.map((t) => `team:${t}`)].join(', ')}: ${(err as Error).message}`,
      );
    }
  }
  result.status = 'created';
  result.message = `opened PR #${pr.number}`;
  return pr;
}

async function autoMerge(ctx: SyncContext, i: Inspection, pr: PullInfo): Promise<string | undefined> {
  if (!ctx.target.autoMerge) return undefined;
  const blocker = autoMergeBlocker(ctx.target, i.repo, pr);
  if (blocker) return `off: ${blocker}`;
  if (!ctx.policy) return 'off: no policy engine available';
  const verdict = await ctx.policy.check(ctx.target.repo, pr);
  if (!verdict.allow) return `off: policy denied (${verdict.summary})`;
  const enabled = await ctx.port.enableAutoMerge(pr, 'SQUASH');
  return enabled === true ? 'enabled' : `off: GitHub refused to enable auto-merge (${enabled})`;
}

/**
 * One issue per source in each target lists the conflicts: created once, updated when the list changes,
 * closed when none remain. Looked up only when there are conflicts now or the last sync PR reported some
 * (its marker says so), so a clean sync spends no request on it.
 */
async function reportConflicts(ctx: SyncContext, i: Inspection) {
  const { port, source } = ctx;
  const conflicts = i.plan.conflicts;
  if (!conflicts.length && !i.hadConflicts) return undefined;
  const existing = await port.findIssue(CONFLICT_LABEL, conflictMarker(source.repo));
  if (!conflicts.length) {
    if (existing) await port.updateIssue(existing.number, { state: 'closed' });
    return undefined;
  }
  const { title, body } = conflictIssue(source.repo, source.sha, conflicts);
  if (!existing) {
    const created = await port.createIssue({ title, body, labels: [CONFLICT_LABEL] });
    return { number: created.number, url: created.url };
  }
  if (existing.title !== title || existing.body !== body)
    await port.updateIssue(existing.number, { title, body });
  return { number: existing.number, url: existing.url };
}
