/**
 * Actions workflows and runs. Workflows are the `.github/workflows/*.yml` files on the default branch (as on
 * GitHub, where only default-branch workflows receive `repository_dispatch`); runs are records a sandbox
 * runner drives through `updateRun`, each transition sending a `workflow_run` webhook.
 */
import type { ForgeCore } from './core.js';
import { iso, nodeId, repoKey } from './core.js';
import { emitRepoEvent } from './events.js';
import { simpleUser } from './shapes/accounts.js';
import { api, html } from './shapes/git.js';
import { minimalRepo } from './shapes/repo.js';
import type { RepoRec, RunRec, WorkflowRec } from './types.js';

export interface WorkflowInfo extends WorkflowRec {
  name: string;
  text: string;
}

/** Parse the few facts we need from a workflow file without a YAML dependency. */
export function workflowName(text: string, path: string): string {
  const m = /^name:\s*['"]?(.+?)['"]?\s*$/m.exec(text);
  return m?.[1] ?? path;
}

/**
 * The workflow's top-level `on:` block (inline value included), comments dropped, so an event named in a
 * description or a comment elsewhere in the file is not taken for a trigger.
 */
export function onBlock(text: string): string {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^(?:on|"on"|'on'|true)\s*:/.test(l));
  if (start < 0) return '';
  const end = lines.findIndex((l, i) => i > start && /^[^\s#]/.test(l));
  return lines
    .slice(start, end < 0 ? undefined : end)
    .map((l) => l.replace(/(^|\s)#.*$/, ''))
    .join('\n')
    .replace(/^[^:]*:/, '');
}

export function triggersOn(workflow: string, event: string, type?: string): boolean {
  const text = onBlock(workflow);
  // As a key (`event:`) or a list/scalar value (`[push, event]`, `on: event`), never inside prose.
  const m = new RegExp(`(^|[\\s[,])${event}(?=\\s*(?::|,|\\]|$))`, 'm').exec(text);
  if (!m) return false;
  const at = m.index + m[1]!.length;
  if (!type) return true;
  // The event's own block: the lines indented deeper than the line that names it.
  const lines = text.slice(text.lastIndexOf('\n', at) + 1).split('\n');
  const indent = (l: string) => /^\s*/.exec(l)![0].length;
  const end = lines.findIndex((l, i) => i > 0 && l.trim() !== '' && indent(l) <= indent(lines[0]!));
  const after = lines.slice(0, end < 0 ? undefined : end).join('\n');
  const inline = /types:\s*\[([^\]]*)\]/.exec(after);
  const listed = inline
    ? inline[1]!.split(',').map((t) => t.trim().replace(/^['"]|['"]$/g, ''))
    : [...after.matchAll(/^\s+-\s*['"]?([\w.-]+)['"]?\s*$/gm)].map((m) => m[1]!);
  return listed.length === 0 || listed.includes(type);
}

export async function workflowsOf(core: ForgeCore, repo: RepoRec): Promise<WorkflowInfo[]> {
  const git = core.git(repo);
  const head = await git.refSha(`refs/heads/${repo.defaultBranch}`);
  const records = core.store.list('workflows', repoKey(repo));
  if (!head) return [];
  const listing = await git.run(['ls-tree', '-z', head, '.github/workflows/']);
  const out: WorkflowInfo[] = [];
  for (const line of listing.stdout.toString('utf8').split('\0').filter(Boolean)) {
    const tab = line.indexOf('\t');
    const path = line.slice(tab + 1);
    if (!/\.ya?ml$/.test(path)) continue;
    const sha = line.slice(0, tab).split(/\s+/)[2] ?? '';
    let rec = records.find((w) => w.path === path);
    if (!rec) {
      const now = iso(core.now());
      rec = { id: core.store.id(), path, state: 'active', createdAt: now, updatedAt: now };
      records.push(rec);
      core.store.save();
    }
    const text = ((await git.readBlob(sha)) ?? Buffer.alloc(0)).toString('utf8');
    out.push({ ...rec, name: workflowName(text, path), text });
  }
  return out;
}

export function workflowJson(core: ForgeCore, repo: RepoRec, wf: WorkflowInfo) {
  return {
    id: wf.id,
    node_id: nodeId('Workflow', wf.id),
    name: wf.name,
    path: wf.path,
    state: wf.state,
    created_at: wf.createdAt,
    updated_at: wf.updatedAt,
    url: `${api(core, repo)}/actions/workflows/${wf.id}`,
    html_url: `${html(core, repo)}/blob/${repo.defaultBranch}/${wf.path}`,
    badge_url: `${html(core, repo)}/workflows/${encodeURIComponent(wf.name)}/badge.svg`,
  };
}

export async function runJson(core: ForgeCore, repo: RepoRec, run: RunRec) {
  const a = `${api(core, repo)}/actions/runs/${run.id}`;
  const commit = await core.git(repo).readCommit(run.headSha);
  return {
    id: run.id,
    name: run.name,
    node_id: nodeId('WorkflowRun', run.id),
    check_suite_id: run.id + 1,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    display_title: run.displayTitle,
    run_number: run.runNumber,
    run_attempt: 1,
    event: run.event,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: run.workflowId,
    url: a,
    html_url: `${html(core, repo)}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.createdAt,
    updated_at: run.updatedAt,
    run_started_at: run.createdAt,
    actor: simpleUser(core, run.actor),
    triggering_actor: simpleUser(core, run.actor),
    jobs_url: `${a}/jobs`,
    logs_url: `${a}/logs`,
    check_suite_url: `${api(core, repo)}/check-suites/${run.id + 1}`,
    artifacts_url: `${a}/artifacts`,
    cancel_url: `${a}/cancel`,
    rerun_url: `${a}/rerun`,
    previous_attempt_url: null,
    workflow_url: `${api(core, repo)}/actions/workflows/${run.workflowId}`,
    head_commit: commit
      ? {
          id: commit.sha,
          tree_id: commit.tree,
          message: commit.message.replace(/\n$/, ''),
          timestamp: commit.committer.date,
          author: { name: commit.author.name, email: commit.author.email },
          committer: { name: commit.committer.name, email: commit.committer.email },
        }
      : null,
    repository: minimalRepo(core, repo),
    head_repository: minimalRepo(core, repo),
  };
}

async function emitRun(core: ForgeCore, repo: RepoRec, run: RunRec, action: string) {
  emitRepoEvent(core, repo, 'workflow_run', run.actor, {
    action,
    workflow_run: await runJson(core, repo, run),
    workflow: workflowJson(core, repo, {
      id: run.workflowId,
      path: run.path,
      name: run.name,
      state: 'active',
      createdAt: run.createdAt,
      updatedAt: run.updatedAt,
      text: '',
    }),
  });
}

export async function createRun(
  core: ForgeCore,
  repo: RepoRec,
  wf: WorkflowInfo,
  opts: {
    event: string;
    branch: string;
    sha: string;
    actor: string;
    title?: string;
    inputs?: Record<string, unknown>;
  },
): Promise<RunRec> {
  const now = iso(core.now());
  const previous = core.store.state.runs.filter((r) => r.workflowId === wf.id).length;
  const run: RunRec = {
    id: core.store.id(),
    repo: repoKey(repo),
    workflowId: wf.id,
    path: wf.path,
    name: wf.name,
    event: opts.event,
    status: 'queued',
    conclusion: null,
    headBranch: opts.branch,
    headSha: opts.sha,
    runNumber: previous + 1,
    actor: opts.actor,
    displayTitle: opts.title ?? wf.name,
    createdAt: now,
    updatedAt: now,
    ...(opts.inputs ? { inputs: opts.inputs } : {}),
  };
  core.store.state.runs.push(run);
  core.store.save();
  await emitRun(core, repo, run, 'requested');
  return run;
}

export async function updateRun(
  core: ForgeCore,
  runId: number,
  patch: { status: RunRec['status']; conclusion?: string | null },
): Promise<RunRec> {
  const run = core.store.state.runs.find((r) => r.id === runId);
  const repo = run && core.store.state.repos[run.repo];
  if (!run || !repo) throw new Error(`no workflow run ${runId}`);
  run.status = patch.status;
  run.conclusion = patch.conclusion ?? (patch.status === 'completed' ? 'success' : null);
  run.updatedAt = iso(core.now());
  core.store.save();
  await emitRun(core, repo, run, patch.status === 'completed' ? 'completed' : 'in_progress');
  return run;
}
