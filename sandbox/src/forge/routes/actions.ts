/** repository_dispatch, workflows (list, get, enable, disable, workflow_dispatch) and workflow runs. */
import { iso } from '../core.js';
import { emitRepoEvent } from '../events.js';
import { ForgeHttpError, notFound } from '../http-errors.js';
import type { Ctx, Router } from '../router.js';
import { bodyObject, reqString } from '../body.js';
import { intParam, noContent, ok, paginate } from '../router.js';
import type { DispatchRec, RepoRec } from '../types.js';
import type { ForgeCore } from '../core.js';
import { createRun, runJson, triggersOn, updateRun, workflowJson, workflowsOf } from '../workflows.js';
import { loginOf, repoFor } from './common.js';

/** GitHub: event_type ≤ 100 characters; client_payload ≤ 10 top-level keys and < 64 KB. */
const MAX_EVENT_TYPE = 100;
const MAX_PAYLOAD_KEYS = 10;
const MAX_PAYLOAD_BYTES = 64 * 1024;

function invalid(detail: string): ForgeHttpError {
  return new ForgeHttpError(422, `Invalid request.\n\n${detail}`);
}

function notifyDispatch(core: ForgeCore, rec: DispatchRec): void {
  for (const listener of core.onDispatchListeners) {
    // A runner may take long to act on a dispatch; the HTTP answer never waits for it.
    void Promise.resolve()
      .then(() => listener(rec))
      .catch((err: unknown) => console.error(`forge: onDispatch listener failed: ${String(err)}`));
  }
}

async function repositoryDispatch(ctx: Ctx) {
  const { repo, key, git } = repoFor(ctx, 'contents', 'write');
  const body = bodyObject(ctx);
  const eventType = reqString(body, 'event_type', 'Dispatch');
  if (eventType.length === 0) throw invalid('event_type must not be blank.');
  if (eventType.length > MAX_EVENT_TYPE) {
    throw invalid(`event_type is too long (maximum is ${MAX_EVENT_TYPE} characters).`);
  }
  const payload = body.client_payload ?? {};
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw invalid("For 'properties/client_payload', \"" + JSON.stringify(payload) + '" is not an object.');
  }
  const keys = Object.keys(payload).length;
  if (keys > MAX_PAYLOAD_KEYS) {
    throw invalid(`No more than ${MAX_PAYLOAD_KEYS} properties are allowed; ${keys} were supplied.`);
  }
  if (Buffer.byteLength(JSON.stringify(payload)) >= MAX_PAYLOAD_BYTES) {
    throw invalid('client_payload is too large (maximum is 64 KB).');
  }
  const actor = loginOf(ctx);
  const sha = await git.refSha(`refs/heads/${repo.defaultBranch}`);
  const runIds: number[] = [];
  if (sha) {
    for (const wf of await workflowsOf(ctx.core, repo)) {
      if (wf.state !== 'active' || !triggersOn(wf.text, 'repository_dispatch', eventType)) continue;
      const run = await createRun(ctx.core, repo, wf, {
        event: 'repository_dispatch',
        branch: repo.defaultBranch,
        sha,
        actor,
        title: eventType,
      });
      runIds.push(run.id);
    }
  }
  const rec: DispatchRec = {
    id: ctx.core.store.id(),
    kind: 'repository_dispatch',
    repo: key,
    eventType,
    clientPayload: payload as Record<string, unknown>,
    actor,
    at: iso(ctx.core.now()),
    runIds,
  };
  ctx.core.store.state.dispatches.push(rec);
  ctx.core.store.save();
  emitRepoEvent(ctx.core, repo, 'repository_dispatch', actor, {
    action: eventType,
    branch: repo.defaultBranch,
    client_payload: payload,
  });
  notifyDispatch(ctx.core, rec);
  return noContent;
}

async function findWorkflow(ctx: Ctx, repo: RepoRec) {
  const id = ctx.params.workflow_id ?? '';
  const wf = (await workflowsOf(ctx.core, repo)).find(
    (w) => String(w.id) === id || w.path.endsWith(`/${id}`),
  );
  if (!wf) throw notFound();
  return wf;
}

async function workflowDispatch(ctx: Ctx) {
  const { repo, key, git } = repoFor(ctx, 'actions', 'write');
  const wf = await findWorkflow(ctx, repo);
  const body = bodyObject(ctx);
  const ref = reqString(body, 'ref', 'Dispatch');
  const branch = ref.replace(/^refs\/heads\//, '');
  const sha = await git.resolveCommit(ref);
  if (!sha) throw new ForgeHttpError(422, `No ref found for: ${ref}`);
  if (wf.state !== 'active')
    throw new ForgeHttpError(422, "Cannot trigger a 'workflow_dispatch' on a disabled workflow");
  if (!triggersOn(wf.text, 'workflow_dispatch')) {
    throw new ForgeHttpError(422, "Workflow does not have 'workflow_dispatch' trigger");
  }
  const inputs = (body.inputs ?? {}) as Record<string, unknown>;
  const actor = loginOf(ctx);
  const run = await createRun(ctx.core, repo, wf, { event: 'workflow_dispatch', branch, sha, actor, inputs });
  const rec: DispatchRec = {
    id: ctx.core.store.id(),
    kind: 'workflow_dispatch',
    repo: key,
    eventType: 'workflow_dispatch',
    clientPayload: inputs,
    ref,
    workflow: wf.path,
    actor,
    at: iso(ctx.core.now()),
    runIds: [run.id],
  };
  ctx.core.store.state.dispatches.push(rec);
  ctx.core.store.save();
  notifyDispatch(ctx.core, rec);
  return noContent;
}

async function setWorkflowState(ctx: Ctx, state: 'active' | 'disabled_manually') {
  const { repo, key } = repoFor(ctx, 'actions', 'write');
  const wf = await findWorkflow(ctx, repo);
  const rec = ctx.core.store.list('workflows', key).find((w) => w.id === wf.id)!;
  rec.state = state;
  rec.updatedAt = iso(ctx.core.now());
  ctx.core.store.save();
  return noContent;
}

async function listRuns(ctx: Ctx, workflowId?: number) {
  const { repo, key } = repoFor(ctx, 'actions', 'read');
  let runs = ctx.core.store.state.runs.filter((r) => r.repo === key);
  if (workflowId !== undefined) runs = runs.filter((r) => r.workflowId === workflowId);
  for (const [param, field] of [
    ['status', 'status'],
    ['event', 'event'],
    ['branch', 'headBranch'],
    ['head_sha', 'headSha'],
  ] as const) {
    const want = ctx.query.get(param);
    if (want) runs = runs.filter((r) => r[field] === want || (param === 'status' && r.conclusion === want));
  }
  runs = [...runs].reverse();
  const { page, headers } = paginate(ctx, runs);
  const out = [];
  for (const run of page) out.push(await runJson(ctx.core, repo, run));
  return ok({ total_count: runs.length, workflow_runs: out }, headers);
}

export function registerActionsRoutes(r: Router): void {
  r.add('POST', '/repos/{owner}/{repo}/dispatches', repositoryDispatch);
  r.add('GET', '/repos/{owner}/{repo}/actions/workflows', async (ctx) => {
    const { repo } = repoFor(ctx, 'actions', 'read');
    const all = await workflowsOf(ctx.core, repo);
    const { page, headers } = paginate(ctx, all);
    return ok(
      { total_count: all.length, workflows: page.map((w) => workflowJson(ctx.core, repo, w)) },
      headers,
    );
  });
  r.add('GET', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}', async (ctx) => {
    const { repo } = repoFor(ctx, 'actions', 'read');
    return ok(workflowJson(ctx.core, repo, await findWorkflow(ctx, repo)));
  });
  r.add('PUT', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/enable', (ctx) =>
    setWorkflowState(ctx, 'active'),
  );
  r.add('PUT', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/disable', (ctx) =>
    setWorkflowState(ctx, 'disabled_manually'),
  );
  r.add('POST', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/dispatches', workflowDispatch);
  r.add('GET', '/repos/{owner}/{repo}/actions/workflows/{workflow_id}/runs', async (ctx) => {
    const { repo } = repoFor(ctx, 'actions', 'read');
    return listRuns(ctx, (await findWorkflow(ctx, repo)).id);
  });
  r.add('GET', '/repos/{owner}/{repo}/actions/runs', (ctx) => listRuns(ctx));
  r.add('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}', async (ctx) => {
    const { repo, key } = repoFor(ctx, 'actions', 'read');
    const id = intParam(ctx, 'run_id');
    const run = ctx.core.store.state.runs.find((x) => x.id === id && x.repo === key);
    if (!run) throw notFound();
    return ok(await runJson(ctx.core, repo, run));
  });
  r.add('POST', '/repos/{owner}/{repo}/actions/runs/{run_id}/cancel', async (ctx) => {
    const { key } = repoFor(ctx, 'actions', 'write');
    const id = intParam(ctx, 'run_id');
    const run = ctx.core.store.state.runs.find((x) => x.id === id && x.repo === key);
    if (!run) throw notFound();
    if (run.status === 'completed')
      throw new ForgeHttpError(409, 'Cannot cancel a workflow run that is completed.');
    await updateRun(ctx.core, run.id, { status: 'completed', conclusion: 'cancelled' });
    return { status: 202, body: {} };
  });
}
