/**
 * What enforcing the kill switch means for one repository, as a pure plan over its workflows and runs:
 * tripped → disable every automation workflow that is active and cancel its queued or running runs; cleared →
 * enable the automation workflows that are disabled. Only workflows matching the configured patterns are
 * touched (a workflow someone disabled for another reason stays as it is unless it is an automation one), and
 * the kill-switch workflow itself never is, so clearing can always run.
 */

export interface WorkflowInfo {
  id: number;
  name: string;
  path: string;
  state: string;
}

export interface RunInfo {
  id: number;
  workflowId: number;
  status: string;
}

export interface KillSwitchPlan {
  disable: WorkflowInfo[];
  enable: WorkflowInfo[];
  cancel: RunInfo[];
}

/** Runs GitHub still considers live (cancel is refused for completed ones). */
const LIVE = new Set(['queued', 'in_progress', 'waiting', 'requested', 'pending']);

/** File-name globs: `*` and `?` only (workflow files live in one flat folder). */
function glob(pattern: string): RegExp {
  const body = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '[^/]*')
    .replace(/\?/g, '[^/]');
  return new RegExp(`^${body}$`);
}

export function isAutomation(wf: WorkflowInfo, patterns: string[], self: string[]): boolean {
  const file = wf.path.split('/').pop() ?? wf.path;
  if (self.some((s) => s === file || s === wf.path)) return false;
  return patterns.some((p) => glob(p).test(file) || glob(p).test(wf.path));
}

export function planKillSwitch(
  active: boolean,
  workflows: WorkflowInfo[],
  runs: RunInfo[],
  patterns: string[],
  self: string[],
): KillSwitchPlan {
  const automation = workflows.filter((w) => isAutomation(w, patterns, self));
  if (!active) {
    return { disable: [], enable: automation.filter((w) => w.state === 'disabled_manually'), cancel: [] };
  }
  const ids = new Set(automation.map((w) => w.id));
  return {
    disable: automation.filter((w) => w.state === 'active'),
    enable: [],
    cancel: runs.filter((r) => ids.has(r.workflowId) && LIVE.has(r.status)),
  };
}
