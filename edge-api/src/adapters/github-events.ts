/**
 * What each GitHub event changes: push to the foundation default branch → `autocode.sync` dispatch;
 * pull_request → PR row and the job's pr_opened/cancelled; pull_request_review / check_run → PR row;
 * workflow_run → job running/failed when the run carries the job id in its name.
 */
import type { Ctx } from '../context.js';
import { isObject } from '../schema.js';
import { dispatchRequest } from '../domain/payload.js';
import { enqueueStatement, deliverNow } from './outbox.js';
import { transitionStatement } from './jobs-store.js';
import { notifyStatement } from './notify.js';
import { notifyJobFailed, notifyPrReady } from './push.js';
import type { JobRow } from './jobs-store.js';

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (isObject(v) ? v : {});
const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const JOB_MARKER = /autocode-job:\s*([0-9a-f-]{36})/i;

export async function handleEvent(ctx: Ctx, event: string, p: Obj): Promise<string> {
  const repo = str(obj(p.repository).full_name);
  switch (event) {
    case 'push':
      return onPush(ctx, repo, p);
    case 'pull_request':
      return onPullRequest(ctx, repo, p);
    case 'pull_request_review': {
      const pr = obj(p.pull_request);
      const state = str(obj(p.review).state);
      await ctx.db
        .prepare('UPDATE prs SET review_state = ?, updated_at = ? WHERE repo = ? AND number = ?')
        .bind(state, ctx.now(), repo, Number(pr.number))
        .run();
      return `review ${state}`;
    }
    case 'check_run': {
      const run = obj(p.check_run);
      const summary = JSON.stringify({
        name: str(run.name),
        status: str(run.status),
        conclusion: run.conclusion ?? null,
      });
      await ctx.db
        .prepare('UPDATE prs SET checks = ?, updated_at = ? WHERE repo = ? AND head_sha = ?')
        .bind(summary, ctx.now(), repo, str(run.head_sha))
        .run();
      return 'check recorded';
    }
    case 'workflow_run':
      return onWorkflowRun(ctx, p);
    default:
      return 'ignored';
  }
}

async function onPush(ctx: Ctx, repo: string, p: Obj): Promise<string> {
  const foundation = ctx.config.foundationRepo;
  const branch = str(obj(p.repository).default_branch);
  if (
    !foundation ||
    repo.toLowerCase() !== foundation.toLowerCase() ||
    str(p.ref) !== `refs/heads/${branch}`
  ) {
    return 'ignored';
  }
  const id = crypto.randomUUID();
  const dispatch = dispatchRequest('autocode.sync', {
    before: str(p.before),
    after: str(p.after),
    ref: str(p.ref),
  });
  await ctx.db.batch([
    enqueueStatement(ctx.db, { id, kind: 'dispatch', target: foundation, payload: dispatch, now: ctx.now() }),
    await ctx.audit.statement({
      action: 'sync_requested',
      resource_type: 'repo',
      resource_id: foundation,
      success: true,
      commit_sha: str(p.after),
    }),
  ]);
  ctx.waitUntil(deliverNow(ctx, [id]));
  return 'sync dispatched';
}

async function onPullRequest(ctx: Ctx, repo: string, p: Obj): Promise<string> {
  const pr = obj(p.pull_request);
  const action = str(p.action);
  const number = Number(pr.number);
  const jobId = JOB_MARKER.exec(`${str(pr.body)} ${str(obj(pr.head).ref)}`)?.[1] ?? null;
  const merged = pr.merged === true;
  const state = str(pr.state) === 'closed' ? (merged ? 'merged' : 'closed') : 'open';
  const now = ctx.now();
  const stmts = [
    ctx.db
      .prepare(
        `INSERT INTO prs (id, repo, number, title, author, head_sha, state, html_url, job_id, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (repo, number) DO UPDATE SET title = excluded.title, head_sha = excluded.head_sha,
           state = excluded.state, job_id = COALESCE(excluded.job_id, prs.job_id), updated_at = excluded.updated_at`,
      )
      .bind(
        Number(pr.id),
        repo,
        number,
        str(pr.title),
        str(obj(pr.user).login),
        str(obj(pr.head).sha),
        state,
        str(pr.html_url),
        jobId,
        now,
      ),
  ];
  if (jobId && action === 'opened') {
    stmts.push(
      transitionStatement(ctx.db, jobId, 'pr_opened', { pr_number: number, pr_url: str(pr.html_url) }, now),
    );
    stmts.push(notifyStatement(ctx.db, null, 'pr.opened', { job_id: jobId, repo, number }, now));
  }
  if (jobId && action === 'closed' && !merged) {
    stmts.push(transitionStatement(ctx.db, jobId, 'cancelled', { message: 'pull request closed' }, now));
  }
  stmts.push(
    await ctx.audit.statement({
      action: `pr_${action}`,
      resource_type: 'pr',
      resource_id: `${repo}#${number}`,
      success: true,
      commit_sha: str(obj(pr.head).sha),
      pr_url: str(pr.html_url),
    }),
  );
  const results = await ctx.db.batch(stmts);
  const opened = jobId && action === 'opened' ? (results[1]?.results[0] as JobRow | undefined) : undefined;
  if (opened) notifyPrReady(ctx, opened, { kind: 'pr.opened', repo, number, pr_id: Number(pr.id) });
  return `pr ${action}`;
}

async function onWorkflowRun(ctx: Ctx, p: Obj): Promise<string> {
  const run = obj(p.workflow_run);
  const jobId = JOB_MARKER.exec(`${str(run.display_title)} ${str(run.name)}`)?.[1];
  if (!jobId) return 'ignored';
  const now = ctx.now();
  const url = str(run.html_url);
  if (str(p.action) === 'in_progress') {
    await transitionStatement(ctx.db, jobId, 'running', { run_url: url }, now).run();
    return 'job running';
  }
  if (str(p.action) === 'completed' && ['failure', 'timed_out', 'cancelled'].includes(str(run.conclusion))) {
    const to = str(run.conclusion) === 'cancelled' ? 'cancelled' : 'failed';
    const message = `workflow ${str(run.conclusion)}`;
    const moved = await transitionStatement(
      ctx.db,
      jobId,
      to,
      { run_url: url, message },
      now,
    ).first<JobRow>();
    if (moved && to === 'failed') notifyJobFailed(ctx, moved, message);
    return `job ${to}`;
  }
  return 'ignored';
}
