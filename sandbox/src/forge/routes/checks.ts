/** Check runs (GitHub Apps only, like GitHub) and commit statuses with the combined status. */
import { iso, nodeId } from '../core.js';
import { emitRepoEvent } from '../events.js';
import { ForgeHttpError, notFound, validationFailed } from '../http-errors.js';
import type { Ctx, Router } from '../router.js';
import { bodyObject, oneOf, optString, reqString } from '../body.js';
import { created, intParam, ok, okPage, paginate } from '../router.js';
import { appJson, simpleUser } from '../shapes/accounts.js';
import { api } from '../shapes/git.js';
import { minimalRepo } from '../shapes/repo.js';
import type { CheckRunRec, RepoRec, StatusRec } from '../types.js';
import type { ForgeCore } from '../core.js';
import { loginOf, repoFor } from './common.js';

const STATUSES = ['queued', 'in_progress', 'completed', 'waiting', 'requested', 'pending'] as const;
const CONCLUSIONS = [
  'action_required',
  'cancelled',
  'failure',
  'neutral',
  'success',
  'skipped',
  'stale',
  'timed_out',
] as const;
const STATES = ['error', 'failure', 'pending', 'success'] as const;

function checkRunJson(core: ForgeCore, repo: RepoRec, run: CheckRunRec) {
  const app = core.store.state.app;
  const url = `${api(core, repo)}/check-runs/${run.id}`;
  return {
    id: run.id,
    node_id: nodeId('CheckRun', run.id),
    head_sha: run.headSha,
    external_id: run.externalId,
    url,
    html_url: `${core.url}/${repo.owner}/${repo.name}/runs/${run.id}`,
    details_url: run.detailsUrl,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotationsCount,
      annotations_url: `${url}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.suiteId },
    app: app ? appJson(core, app) : null,
    pull_requests: [],
  };
}

function applyCheckFields(run: CheckRunRec, body: Record<string, unknown>, now: string): void {
  const status = oneOf(optString(body, 'status', 'CheckRun'), STATUSES, 'status', 'CheckRun');
  const conclusion = oneOf(optString(body, 'conclusion', 'CheckRun'), CONCLUSIONS, 'conclusion', 'CheckRun');
  if (status) run.status = status;
  if (conclusion) {
    run.conclusion = conclusion;
    run.status = 'completed';
  }
  if (run.status === 'completed' && !run.conclusion) {
    throw validationFailed([{ resource: 'CheckRun', field: 'conclusion', code: 'missing_field' }]);
  }
  if (run.status === 'in_progress' && !run.startedAt) run.startedAt = now;
  if (run.status === 'completed')
    run.completedAt = optString(body, 'completed_at', 'CheckRun') ?? run.completedAt ?? now;
  run.startedAt = optString(body, 'started_at', 'CheckRun') ?? run.startedAt;
  run.detailsUrl = optString(body, 'details_url', 'CheckRun') ?? run.detailsUrl;
  run.externalId = optString(body, 'external_id', 'CheckRun') ?? run.externalId;
  run.name = optString(body, 'name', 'CheckRun') ?? run.name;
  const output = body.output as Record<string, unknown> | undefined;
  if (output && typeof output === 'object') {
    run.output = {
      title: optString(output, 'title', 'CheckRun') ?? run.output.title,
      summary: optString(output, 'summary', 'CheckRun') ?? run.output.summary,
      text: optString(output, 'text', 'CheckRun') ?? run.output.text,
      annotationsCount:
        run.output.annotationsCount + (Array.isArray(output.annotations) ? output.annotations.length : 0),
    };
  }
}

async function createCheckRun(ctx: Ctx) {
  const { repo, key, git } = repoFor(ctx, 'checks', 'write');
  if (ctx.actor.kind !== 'installation')
    throw new ForgeHttpError(403, 'You must authenticate via a GitHub App.');
  const body = bodyObject(ctx);
  const name = reqString(body, 'name', 'CheckRun');
  const headSha = reqString(body, 'head_sha', 'CheckRun');
  if ((await git.objectType(headSha)) !== 'commit')
    throw new ForgeHttpError(422, 'No commit found for SHA: ' + headSha);
  const runs = ctx.core.store.list('checkRuns', key);
  const suiteId = runs.find((r) => r.headSha === headSha)?.suiteId ?? ctx.core.store.id();
  const now = iso(ctx.core.now());
  const run: CheckRunRec = {
    id: ctx.core.store.id(),
    suiteId,
    headSha,
    name,
    status: 'queued',
    conclusion: null,
    startedAt: now,
    completedAt: null,
    externalId: null,
    detailsUrl: null,
    output: { title: null, summary: null, text: null, annotationsCount: 0 },
    appId: ctx.core.store.state.app?.id ?? null,
  };
  applyCheckFields(run, body, now);
  runs.push(run);
  ctx.core.store.save();
  const json = checkRunJson(ctx.core, repo, run);
  emitRepoEvent(ctx.core, repo, 'check_run', loginOf(ctx), { action: 'created', check_run: json });
  return created(json);
}

function statusJson(core: ForgeCore, repo: RepoRec, s: StatusRec) {
  return {
    url: `${api(core, repo)}/statuses/${s.sha}`,
    avatar_url: (simpleUser(core, s.creator).avatar_url as string) ?? null,
    id: s.id,
    node_id: nodeId('StatusContext', s.id),
    state: s.state,
    description: s.description,
    target_url: s.targetUrl,
    context: s.context,
    created_at: s.createdAt,
    updated_at: s.updatedAt,
    creator: simpleUser(core, s.creator),
  };
}

async function resolveRef(ctx: Ctx, git: ReturnType<typeof repoFor>['git']): Promise<string> {
  const sha = await git.resolveCommit(ctx.params.ref ?? '');
  if (!sha) throw new ForgeHttpError(422, `No commit found for SHA: ${ctx.params.ref}`);
  return sha;
}

export function registerCheckRoutes(r: Router): void {
  r.add('POST', '/repos/{owner}/{repo}/check-runs', createCheckRun);
  r.add('PATCH', '/repos/{owner}/{repo}/check-runs/{check_run_id}', (ctx) => {
    const { repo, key } = repoFor(ctx, 'checks', 'write');
    const id = intParam(ctx, 'check_run_id');
    const run = (ctx.core.store.state.checkRuns[key] ?? []).find((x) => x.id === id);
    if (!run) throw notFound();
    applyCheckFields(run, bodyObject(ctx), iso(ctx.core.now()));
    ctx.core.store.save();
    const json = checkRunJson(ctx.core, repo, run);
    const action = run.status === 'completed' ? 'completed' : 'updated';
    emitRepoEvent(ctx.core, repo, 'check_run', loginOf(ctx), { action, check_run: json });
    return ok(json);
  });
  r.add('GET', '/repos/{owner}/{repo}/check-runs/{check_run_id}', (ctx) => {
    const { repo, key } = repoFor(ctx, 'checks', 'read');
    const id = intParam(ctx, 'check_run_id');
    const run = (ctx.core.store.state.checkRuns[key] ?? []).find((x) => x.id === id);
    if (!run) throw notFound();
    return ok(checkRunJson(ctx.core, repo, run));
  });
  r.add('GET', '/repos/{owner}/{repo}/commits/{ref+}/check-runs', async (ctx) => {
    const { repo, key, git } = repoFor(ctx, 'checks', 'read');
    const sha = await resolveRef(ctx, git);
    let runs = (ctx.core.store.state.checkRuns[key] ?? []).filter((x) => x.headSha === sha);
    const name = ctx.query.get('check_name');
    const status = ctx.query.get('status');
    if (name) runs = runs.filter((x) => x.name === name);
    if (status) runs = runs.filter((x) => x.status === status);
    const { page, headers } = paginate(ctx, [...runs].reverse());
    return ok(
      { total_count: runs.length, check_runs: page.map((x) => checkRunJson(ctx.core, repo, x)) },
      headers,
    );
  });
  r.add('POST', '/repos/{owner}/{repo}/statuses/{sha}', async (ctx) => {
    const { repo, key, git } = repoFor(ctx, 'statuses', 'write');
    const sha = ctx.params.sha ?? '';
    if ((await git.objectType(sha)) !== 'commit')
      throw new ForgeHttpError(422, `No commit found for SHA: ${sha}`);
    const body = bodyObject(ctx);
    const state = oneOf(reqString(body, 'state', 'Status'), STATES, 'state', 'Status')!;
    const now = iso(ctx.core.now());
    const status: StatusRec = {
      id: ctx.core.store.id(),
      sha,
      state,
      description: optString(body, 'description', 'Status') ?? null,
      targetUrl: optString(body, 'target_url', 'Status') ?? null,
      context: optString(body, 'context', 'Status') ?? 'default',
      creator: loginOf(ctx),
      createdAt: now,
      updatedAt: now,
    };
    ctx.core.store.list('statuses', key).push(status);
    ctx.core.store.save();
    return created(statusJson(ctx.core, repo, status));
  });
  r.add('GET', '/repos/{owner}/{repo}/commits/{ref+}/statuses', async (ctx) => {
    const { repo, key, git } = repoFor(ctx, 'statuses', 'read');
    const sha = await resolveRef(ctx, git);
    const list = (ctx.core.store.state.statuses[key] ?? []).filter((s) => s.sha === sha).reverse();
    return okPage(ctx, list, (s) => statusJson(ctx.core, repo, s));
  });
  r.add('GET', '/repos/{owner}/{repo}/commits/{ref+}/status', async (ctx) => {
    const { repo, key, git } = repoFor(ctx, 'statuses', 'read');
    const sha = await resolveRef(ctx, git);
    const latest = new Map<string, StatusRec>();
    for (const s of (ctx.core.store.state.statuses[key] ?? []).filter((x) => x.sha === sha))
      latest.set(s.context, s);
    const statuses = [...latest.values()];
    const states = statuses.map((s) => s.state);
    const state = states.some((s) => s === 'error' || s === 'failure')
      ? 'failure'
      : states.length === 0 || states.includes('pending')
        ? 'pending'
        : 'success';
    return ok({
      state,
      statuses: statuses.map((s) => {
        const { creator: _c, ...rest } = statusJson(ctx.core, repo, s);
        return rest;
      }),
      sha,
      total_count: statuses.length,
      repository: minimalRepo(ctx.core, repo),
      commit_url: `${api(ctx.core, repo)}/commits/${sha}`,
      url: `${api(ctx.core, repo)}/commits/${sha}/status`,
    });
  });
}
