/**
 * Enforce the kill switch on one repository through the Actions API: decide the state (the edge is the source
 * of truth; a dispatch payload alone is not trusted when the edge can be asked), plan, then cancel runs,
 * disable or re-enable workflows, each with an audit event. A rerun converges: nothing left to do = no writes.
 */
import type { AuditEvent, GitHubClient, KillSwitchState, Reporter } from '@autocode/toolkit';
import { planKillSwitch } from './plan.js';
import type { KillSwitchPlan, RunInfo, WorkflowInfo } from './plan.js';

export interface EnforceOptions {
  owner: string;
  repo: string;
  patterns: string[];
  self: string[];
  dryRun: boolean;
}

export interface EnforceDeps {
  /** Current state; throws when it cannot be read. */
  state(): Promise<KillSwitchState>;
  /** Used only when `state()` fails: fail closed (active) unless configured otherwise. */
  fallbackActive: boolean;
  audit(event: AuditEvent): Promise<void>;
  reporter: Reporter;
}

export async function resolveState(deps: EnforceDeps): Promise<{ active: boolean; source: string }> {
  try {
    const s = await deps.state();
    return { active: s.active, source: s.active ? `edge (${s.reason ?? 'no reason given'})` : 'edge' };
  } catch (err) {
    deps.reporter.warning(
      `kill-switch state unavailable (${(err as Error).message}); treating it as ${deps.fallbackActive ? 'active' : 'cleared'}`,
    );
    return { active: deps.fallbackActive, source: 'fallback' };
  }
}

async function listWorkflows(octokit: GitHubClient, owner: string, repo: string): Promise<WorkflowInfo[]> {
  const all = await octokit.paginate(octokit.rest.actions.listRepoWorkflows, { owner, repo, per_page: 100 });
  return all.map((w) => ({ id: w.id, name: w.name, path: w.path, state: w.state }));
}

async function listLiveRuns(octokit: GitHubClient, owner: string, repo: string): Promise<RunInfo[]> {
  const runs: RunInfo[] = [];
  for (const status of ['queued', 'in_progress', 'waiting', 'requested', 'pending'] as const) {
    const page = await octokit.paginate(octokit.rest.actions.listWorkflowRunsForRepo, {
      owner,
      repo,
      status,
      per_page: 100,
    });
    for (const r of page)
      if (!runs.some((x) => x.id === r.id))
        runs.push({ id: r.id, workflowId: r.workflow_id, status: r.status ?? status });
  }
  return runs;
}

export async function enforceKillSwitch(
  octokit: GitHubClient,
  options: EnforceOptions,
  deps: EnforceDeps,
): Promise<KillSwitchPlan & { active: boolean; source: string }> {
  const { owner, repo } = options;
  const { active, source } = await resolveState(deps);
  const workflows = await listWorkflows(octokit, owner, repo);
  const runs = active ? await listLiveRuns(octokit, owner, repo) : [];
  const plan = planKillSwitch(active, workflows, runs, options.patterns, options.self);
  const subject = `${owner}/${repo}`;
  deps.reporter.info(
    `kill switch ${active ? 'ACTIVE' : 'cleared'} (${source}): cancel ${plan.cancel.length} run(s), disable ${plan.disable.length}, enable ${plan.enable.length} workflow(s)`,
  );
  if (options.dryRun) return { ...plan, active, source };
  // Disable first so nothing new starts, then cancel what is already running.
  for (const wf of plan.disable) {
    await octokit.rest.actions.disableWorkflow({ owner, repo, workflow_id: wf.id });
    await deps.audit({
      action: 'killswitch.disable_workflow',
      resource: `${subject}:${wf.path}`,
      result: 'success',
    });
  }
  for (const run of plan.cancel) {
    try {
      await octokit.rest.actions.cancelWorkflowRun({ owner, repo, run_id: run.id });
      await deps.audit({
        action: 'killswitch.cancel_run',
        resource: `${subject}#${run.id}`,
        result: 'success',
      });
    } catch (err) {
      // 409: the run finished between listing and cancelling; nothing left to stop.
      if ((err as { status?: number }).status !== 409) throw err;
    }
  }
  for (const wf of plan.enable) {
    await octokit.rest.actions.enableWorkflow({ owner, repo, workflow_id: wf.id });
    await deps.audit({
      action: 'killswitch.enable_workflow',
      resource: `${subject}:${wf.path}`,
      result: 'success',
    });
  }
  return { ...plan, active, source };
}
