/**
 * Runs a workflow the way GitHub Actions would for the subset autocode's workflows use: jobs in `needs` order
 * with `if:` and the status functions; reusable workflows (`jobs.<id>.uses`) with typed `with:` inputs,
 * mapped or inherited secrets and `workflow_call` outputs; JavaScript action steps with inputs (action.yml
 * defaults, then `with:`), `env`, `continue-on-error`, `timeout-minutes`, step and job outputs; and an Actions
 * OIDC token only for jobs whose permissions grant `id-token: write`. `run:` steps and container/composite
 * actions are refused with a message (autocode's workflows have none).
 */
import type { Contexts, RunStatus } from './expressions.js';
import { asString, condition, interpolate } from './expressions.js';
import { runNodeAction } from './node-action.js';
import type { Origin, Sources } from './sources.js';
import type { Job, PermissionsSpec, Step, Workflow } from './workflow.js';
import {
  callInputs,
  callOutputs,
  grantsIdToken,
  jobOrder,
  needsOf,
  parseUses,
  parseWorkflow,
} from './workflow.js';

export interface RunEnvironment {
  sources: Sources;
  /** The `github` context (the triggering event, repository, token, …); the same in called workflows. */
  github: Record<string, unknown>;
  vars: Record<string, string>;
  /** Repository secrets (the entry workflow's `secrets` context). */
  secrets: Record<string, string>;
  /** Runner environment every step gets (PATH, HOME, CI, GITHUB_*, RUNNER_*). */
  baseEnv: Record<string, string>;
  workspace: string;
  tempDir: string;
  /** ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN for a job that may ask for an OIDC token. */
  idToken: () => { url: string; token: string };
  log: (line: string) => void;
  defaultTimeoutMs: number;
  /** Aborted when the runner stops: the running step is ended and no further job or step starts. */
  signal?: AbortSignal;
}

export interface JobResult {
  result: 'success' | 'failure' | 'skipped';
  outputs: Record<string, unknown>;
}

export interface WorkflowResult {
  conclusion: 'success' | 'failure';
  outputs: Record<string, unknown>;
  jobs: Record<string, JobResult>;
  /** Why it failed, in order: `::error::` messages of failed steps, or what the runner refused. */
  errors: string[];
  summaries: string[];
}

interface Call {
  inputs: Record<string, unknown>;
  secrets: Record<string, string>;
  /** Effective permissions of the calling jobs, outermost first. */
  permissions: PermissionsSpec[];
}

interface Scope {
  env: RunEnvironment;
  wf: Workflow;
  origin: Origin;
  inputs: Record<string, unknown>;
  secrets: Record<string, string>;
  errors: string[];
  summaries: string[];
}

const strings = (o: unknown): Record<string, string> =>
  Object.fromEntries(Object.entries((o ?? {}) as Record<string, unknown>).map(([k, v]) => [k, asString(v)]));

function coerceInput(type: string | undefined, value: unknown): unknown {
  if (type === 'boolean') return value === true || value === 'true';
  if (type === 'number') return value === '' || value === null ? null : Number(value);
  return value === null || value === undefined ? '' : value;
}

export async function runWorkflow(
  wf: Workflow,
  origin: Origin,
  env: RunEnvironment,
  call?: Call,
): Promise<WorkflowResult> {
  const base: Contexts = { github: env.github, vars: env.vars };
  const inputs: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(callInputs(wf))) {
    const given = call?.inputs[name];
    const value = given !== undefined ? given : interpolate(spec.default, base);
    inputs[name] = coerceInput(spec.type, value);
  }
  const scope: Scope = {
    env,
    wf,
    origin,
    inputs,
    secrets: call ? call.secrets : env.secrets,
    errors: [],
    summaries: [],
  };
  const jobs: Record<string, JobResult> = {};
  for (const id of jobOrder(wf)) {
    jobs[id] = await runJob(scope, id, wf.jobs[id]!, jobs, call?.permissions ?? []);
  }
  const outputs = interpolate(callOutputs(wf), { ...base, inputs, jobs }) as Record<string, unknown>;
  const failed = Object.values(jobs).some((j) => j.result === 'failure');
  return {
    conclusion: failed ? 'failure' : 'success',
    outputs,
    jobs,
    errors: scope.errors,
    summaries: scope.summaries,
  };
}

async function runJob(
  scope: Scope,
  id: string,
  job: Job,
  done: Record<string, JobResult>,
  outer: PermissionsSpec[],
): Promise<JobResult> {
  const needs = Object.fromEntries(needsOf(job).map((n) => [n, done[n]]));
  const status: RunStatus = {
    failed: Object.values(needs).some((n) => n?.result !== 'success'),
    cancelled: scope.env.signal?.aborted ?? false,
  };
  const contexts: Contexts = {
    github: scope.env.github,
    vars: scope.env.vars,
    inputs: scope.inputs,
    secrets: scope.secrets,
    needs,
  };
  if (!condition(job.if, contexts, status)) {
    scope.env.log(`job ${id}: skipped (if: ${String(job.if)})`);
    return { result: 'skipped', outputs: {} };
  }
  const permissions = [...outer, job.permissions ?? scope.wf.permissions];
  try {
    const run: JobRun = { scope, id, job, contexts, permissions };
    return job.uses ? await callWorkflow(run) : await runSteps(run);
  } catch (err) {
    scope.errors.push(`${id}: ${(err as Error).message}`);
    scope.env.log(`job ${id}: ${(err as Error).message}`);
    return { result: 'failure', outputs: {} };
  }
}

/** One job about to run: where, which, what it may see, and the permissions of every level above it. */
interface JobRun {
  scope: Scope;
  id: string;
  job: Job;
  contexts: Contexts;
  permissions: PermissionsSpec[];
}

async function callWorkflow({ scope, id, job, contexts, permissions }: JobRun): Promise<JobResult> {
  const { text, file, origin } = await scope.env.sources.workflow(parseUses(job.uses!), scope.origin);
  const called = parseWorkflow(text, file);
  const secrets =
    job.secrets === 'inherit' ? scope.secrets : strings(interpolate(job.secrets ?? {}, contexts));
  scope.env.log(`job ${id}: calling ${file}`);
  const result = await runWorkflow(called, origin, scope.env, {
    inputs: (interpolate(job.with ?? {}, contexts) ?? {}) as Record<string, unknown>,
    secrets,
    permissions,
  });
  scope.errors.push(...result.errors);
  scope.summaries.push(...result.summaries);
  return { result: result.conclusion, outputs: result.outputs };
}

/** GitHub hands a job an OIDC token only if every level that sets permissions grants `id-token: write`. */
function mayRequestIdToken(chain: PermissionsSpec[]): boolean {
  const set = chain.filter((p) => p !== undefined);
  return set.length > 0 && set.every(grantsIdToken);
}

async function runSteps({ scope, id, job, contexts, permissions }: JobRun): Promise<JobResult> {
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const status: RunStatus = { failed: false, cancelled: false };
  const idToken = mayRequestIdToken(permissions) ? scope.env.idToken() : undefined;
  const jobEnv = { ...(scope.wf.env ?? {}), ...(job.env ?? {}) };
  for (const [index, step] of (job.steps ?? []).entries()) {
    status.cancelled = scope.env.signal?.aborted ?? false;
    const stepId = step.id ?? `__step${index}`;
    const ctx: Contexts = { ...contexts, steps, env: strings(interpolate(jobEnv, { ...contexts, steps })) };
    if (!condition(step.if, ctx, status)) {
      steps[stepId] = { outputs: {}, outcome: 'skipped', conclusion: 'skipped' };
      continue;
    }
    const label = `${id}/${step.name ?? step.id ?? step.uses ?? `step ${index + 1}`}`;
    const outcome = await runStep(scope, label, stepId, step, ctx, job, idToken);
    const soft = condition(step['continue-on-error'] ?? false, ctx, { failed: false, cancelled: false });
    steps[stepId] = {
      outputs: outcome.outputs,
      outcome: outcome.ok ? 'success' : 'failure',
      conclusion: outcome.ok || soft ? 'success' : 'failure',
    };
    if (!outcome.ok && !soft) status.failed = true;
  }
  const outputs = interpolate(job.outputs ?? {}, { ...contexts, steps }) as Record<string, unknown>;
  return { result: status.failed ? 'failure' : 'success', outputs };
}

async function runStep(
  scope: Scope,
  label: string,
  stepId: string,
  step: Step,
  ctx: Contexts,
  job: Job,
  idToken: { url: string; token: string } | undefined,
): Promise<{ ok: boolean; outputs: Record<string, string> }> {
  const fail = (message: string) => {
    scope.errors.push(`${label}: ${message}`);
    scope.env.log(`${label}: ${message}`);
    return { ok: false, outputs: {} };
  };
  if (!step.uses) return fail('`run:` steps are not supported by the local runner (JavaScript actions only)');
  const action = scope.env.sources.action(parseUses(step.uses));
  if (!/^node\d+$/.test(action.runs.using) || !action.runs.main) {
    return fail(
      `${step.uses} runs with "${action.runs.using}"; the local runner runs JavaScript actions only`,
    );
  }
  const defaults = Object.fromEntries(
    Object.entries(action.inputs)
      .filter(([, spec]) => spec.default !== undefined)
      .map(([name, spec]) => [name, spec.default]),
  );
  const inputs = strings({
    ...(interpolate(defaults, ctx) as Record<string, unknown>),
    ...(interpolate(step.with ?? {}, ctx) as Record<string, unknown>),
  });
  const stepEnv = strings(interpolate(step.env ?? {}, ctx));
  const minutes = step['timeout-minutes'] ?? job['timeout-minutes'];
  scope.env.log(`${label}: node ${action.runs.main} (${step.uses})`);
  const run = await runNodeAction({
    main: `${action.dir}/${action.runs.main}`,
    inputs,
    env: {
      ...scope.env.baseEnv,
      ...(ctx.env as Record<string, string>),
      ...stepEnv,
      GITHUB_ACTION: stepId,
      GITHUB_ACTION_PATH: action.dir,
      ...(idToken
        ? { ACTIONS_ID_TOKEN_REQUEST_URL: idToken.url, ACTIONS_ID_TOKEN_REQUEST_TOKEN: idToken.token }
        : {}),
    },
    cwd: scope.env.workspace,
    tempDir: scope.env.tempDir,
    timeoutMs: minutes ? minutes * 60_000 : scope.env.defaultTimeoutMs,
    log: (line) => scope.env.log(`${label}: ${line}`),
    masks: [...Object.values(scope.secrets), ...Object.values(scope.env.secrets)],
    ...(scope.env.signal ? { signal: scope.env.signal } : {}),
  });
  if (run.summary.trim()) scope.summaries.push(run.summary);
  if (run.code !== 0) {
    const why = run.timedOut ? 'timed out' : (run.errors[0] ?? `exited with code ${run.code}`);
    scope.errors.push(`${label}: ${why}`);
    return { ok: false, outputs: run.outputs };
  }
  return { ok: true, outputs: run.outputs };
}
