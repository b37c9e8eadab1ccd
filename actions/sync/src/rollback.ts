/**
 * `autocode sync rollback`: per target, undo the last sync. An unmerged sync PR is closed (nothing it changed
 * has landed). A merged one is reverted by a restoring PR from `sync-rollback/<source>`: every managed path back
 * to the tree just before the last landed sync — or, with `--to <source-sha>`, to the tree right after the sync
 * of that source commit. Files people edited since are left alone and listed. One Verified commit, as a sync.
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { RateBudget } from './budget.js';
import type { SyncTarget } from './config.js';
import { commitMessage, isSyncCommitMessage, pullBody, pullTitle } from './messages.js';
import type { PullInfo, TargetPort, TreeWrite } from './port.js';
import type { TargetResult } from './result.js';
import { planRollback } from './rollback-plan.js';
import type { SyncState } from './state.js';
import { parseState, serializeState, statePath } from './state.js';

export interface RollbackContext {
  target: SyncTarget;
  /** owner/name of the source whose syncs are rolled back. */
  source: string;
  /** Restore to the tree right after the sync of this source commit (prefix accepted). */
  to?: string;
  port: TargetPort;
  budget: RateBudget;
  dryRun: boolean;
  runUrl?: string;
}

export function rollbackBranch(source: string): string {
  return `sync-rollback/${source.split('/').pop()}`;
}

const decoder = new TextDecoder();

async function stateAt(port: TargetPort, ref: string, path: string): Promise<SyncState | undefined> {
  const bytes = await port.readFileAt(ref, path);
  return bytes ? parseState(decoder.decode(bytes), `${port.repo}@${ref.slice(0, 7)}:${path}`) : undefined;
}

export async function rollbackTarget(ctx: RollbackContext): Promise<TargetResult> {
  const { port, target, source } = ctx;
  const result: TargetResult = { repo: target.repo, status: 'planned', message: '', writes: 0 };
  const repo = await port.getRepo();
  const base = await port.getBranchSha(repo.defaultBranch);
  if (!base)
    throw new AutocodeError(ErrorCodes.NOT_FOUND, `${target.repo} has no commits on ${repo.defaultBranch}`);

  const syncHead = await port.getBranchSha(target.branch);
  const open = syncHead ? (await port.listPulls(target.branch)).find((p) => p.state === 'open') : undefined;
  if (open && !ctx.to) {
    result.pr = { number: open.number, url: open.url };
    result.message = `the last sync (PR #${open.number}) never landed: ${ctx.dryRun ? 'would close' : 'closed'} it`;
    if (ctx.dryRun) return result;
    await ctx.budget.take();
    await port.updatePull(open.number, { state: 'closed' });
    result.status = 'closed';
    return result;
  }

  const sp = statePath(source);
  const state = await stateAt(port, base, sp);
  if (!state)
    return {
      ...result,
      status: 'unchanged',
      message: `nothing from ${source} has landed here: nothing to roll back`,
    };
  const history = await port.commitsTouching(repo.defaultBranch, sp, ctx.to ? 100 : 1);
  let refCommit: string | undefined;
  let refState: SyncState | undefined;
  if (ctx.to) {
    for (const sha of history) {
      const s = await stateAt(port, sha, sp);
      if (s?.source_sha.startsWith(ctx.to)) [refCommit, refState] = [sha, s];
      if (refCommit) break;
    }
    if (!refCommit) {
      throw new AutocodeError(
        ErrorCodes.INVALID_INPUT,
        `${target.repo}: no landed sync of ${source}@${ctx.to} on ${repo.defaultBranch}`,
        {
          hint: `pick a source commit listed in the history of ${sp} there`,
        },
      );
    }
  } else {
    const last = history[0] ? await port.getCommit(history[0]) : undefined;
    refCommit = last?.parents[0];
    if (!refCommit)
      return {
        ...result,
        status: 'unchanged',
        message: 'the first commit holds the sync state: nothing before it',
      };
    refState = await stateAt(port, refCommit, sp);
  }
  const [tree, refTree] = await Promise.all([port.getTree(base), port.getTree(refCommit)]);
  const plan = planRollback({ tree: tree.entries, state, refTree: refTree.entries, refState });
  const by = (a: string) => plan.changes.filter((c) => c.action === a).map((c) => c.path);
  const branch = rollbackBranch(source);
  result.plan = {
    base: repo.defaultBranch,
    branch,
    added: by('add'),
    modified: by('modify'),
    deleted: by('delete'),
    conflicts: plan.conflicts,
    unchanged: 0,
    selected: Object.keys(state.files).length,
    prAction: plan.changes.length ? 'create' : 'none',
    binary: 0,
  };
  const what = ctx.to
    ? `as synced from ${source}@${ctx.to}`
    : `as before the sync of ${source}@${state.source_sha.slice(0, 7)}`;
  if (!plan.changes.length) return { ...result, status: 'unchanged', message: `already ${what}` };
  if (ctx.dryRun) return { ...result, message: `would restore ${plan.changes.length} file(s) ${what}` };

  const entries: TreeWrite[] = plan.changes.map((c) =>
    c.action === 'delete'
      ? { path: c.path, mode: '100644', sha: null }
      : { path: c.path, mode: c.mode, sha: c.sha },
  );
  const keepState = !!refState || Object.keys(plan.state.files).length > 0;
  entries.push(
    keepState
      ? { path: sp, mode: '100644', content: serializeState(plan.state) }
      : { path: sp, mode: '100644', sha: null },
  );

  const existing = await port.getBranchSha(branch);
  if (existing) {
    const head = await port.getCommit(existing);
    if (
      !(head.verified && isSyncCommitMessage(head.message, source)) &&
      (await port.aheadBy(base, existing)) > 0
    ) {
      return { ...result, status: 'blocked', message: `people pushed to ${branch}: not overwritten` };
    }
  }
  const take = async <T>(fn: () => Promise<T>) => (await ctx.budget.take(), fn());
  const treeSha = await take(() => port.createTree(tree.sha, entries));
  const message = commitMessage({
    source,
    sourceSha: state.source_sha,
    changes: plan.changes,
    subject: `sync: roll back ${source} to the files ${what}`,
    trailer: 'Rollback-Of',
    ...(ctx.runUrl ? { runUrl: ctx.runUrl } : {}),
  });
  const commit = await take(() => port.createCommit({ message, tree: treeSha, parents: [base] }));
  await take(() =>
    existing ? port.updateBranch(branch, commit.sha, true) : port.createBranch(branch, commit.sha),
  );
  result.commit = commit.sha;

  const body = pullBody({
    source,
    sourceSha: state.source_sha,
    changes: plan.changes,
    conflicts: plan.conflicts,
    marker: { source, source_sha: refState?.source_sha ?? '', commit: commit.sha, tree: treeSha },
    intro: `Rolls back the sync from **${source}**: restores the synced files ${what}. Merging this reverts the sync PR.`,
  });
  const pulls = existing ? await port.listPulls(branch) : [];
  let pr: PullInfo | undefined = pulls.find((p) => p.state === 'open');
  if (pr) await take(() => port.updatePull(pr!.number, { body }));
  else {
    pr = await take(() =>
      port.createPull({
        title: pullTitle(source, true),
        body,
        head: branch,
        base: repo.defaultBranch,
        draft: false,
      }),
    );
    if (target.labels.length) await take(() => port.addLabels(pr!.number, target.labels));
  }
  result.pr = { number: pr.number, url: pr.url };
  result.status = pulls.some((p) => p.state === 'open') ? 'updated' : 'created';
  result.message = `restoring PR #${pr.number}: ${plan.changes.length} file(s) ${what}`;
  return result;
}
