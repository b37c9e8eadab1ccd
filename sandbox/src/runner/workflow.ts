/**
 * The parts of GitHub's workflow syntax the local runner reads: triggers, jobs (steps or a reusable-workflow
 * call), `needs`, `if`, `with`, `env`, `permissions`, `outputs` and `on.workflow_call` inputs/outputs.
 * Parsed with `yaml` (YAML 1.2, so `on:` stays a key rather than becoming `true`).
 */
import { parse } from 'yaml';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';

export type PermissionsSpec = 'read-all' | 'write-all' | Record<string, string> | undefined;

export interface Step {
  id?: string;
  name?: string;
  if?: unknown;
  uses?: string;
  run?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
  'continue-on-error'?: unknown;
  'timeout-minutes'?: number;
}

export interface Job {
  name?: string;
  needs?: string | string[];
  if?: unknown;
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: 'inherit' | Record<string, unknown>;
  permissions?: PermissionsSpec;
  env?: Record<string, unknown>;
  steps?: Step[];
  outputs?: Record<string, unknown>;
  'timeout-minutes'?: number;
  'continue-on-error'?: unknown;
}

export interface CallInput {
  type?: 'string' | 'boolean' | 'number';
  default?: unknown;
  required?: boolean;
}

export interface Workflow {
  /** Where it was read from (for messages). */
  file: string;
  name?: string;
  'run-name'?: string;
  on: unknown;
  permissions?: PermissionsSpec;
  env?: Record<string, unknown>;
  jobs: Record<string, Job>;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export function parseWorkflow(text: string, file: string): Workflow {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new AutocodeError(ErrorCodes.CONFIG_INVALID, `${file}: not valid YAML: ${(err as Error).message}`);
  }
  if (!isObject(doc) || !isObject(doc.jobs) || doc.on === undefined) {
    throw new AutocodeError(ErrorCodes.CONFIG_INVALID, `${file}: a workflow needs \`on:\` and \`jobs:\``);
  }
  for (const [id, job] of Object.entries(doc.jobs)) {
    if (!isObject(job) || (!job.uses && !Array.isArray(job.steps))) {
      throw new AutocodeError(ErrorCodes.CONFIG_INVALID, `${file}: job ${id} needs \`steps:\` or \`uses:\``);
    }
  }
  return { ...(doc as Omit<Workflow, 'file'>), file };
}

/** The event's trigger block (`on: x`, `on: [x]`, `on: { x: … }`), or undefined when it does not trigger. */
function trigger(wf: Workflow, event: string): Record<string, unknown> | undefined {
  const on = wf.on;
  if (on === event || (Array.isArray(on) && on.includes(event))) return {};
  if (isObject(on) && event in on) return isObject(on[event]) ? on[event] : {};
  return undefined;
}

/** Does a `repository_dispatch` of this type start the workflow? */
export function onDispatch(wf: Workflow, type: string): boolean {
  const block = trigger(wf, 'repository_dispatch');
  if (!block) return false;
  const types = block.types;
  return !Array.isArray(types) || types.length === 0 || types.includes(type);
}

/** The `repository_dispatch` types a workflow names (empty when it takes every type or none). */
export function dispatchTypesOf(wf: Workflow): string[] {
  const types = trigger(wf, 'repository_dispatch')?.types;
  return Array.isArray(types) ? types.map(String) : [];
}

export function callInputs(wf: Workflow): Record<string, CallInput> {
  const inputs = trigger(wf, 'workflow_call')?.inputs;
  return isObject(inputs) ? (inputs as Record<string, CallInput>) : {};
}

export function callOutputs(wf: Workflow): Record<string, unknown> {
  const outputs = trigger(wf, 'workflow_call')?.outputs;
  if (!isObject(outputs)) return {};
  return Object.fromEntries(Object.entries(outputs).map(([k, v]) => [k, isObject(v) ? v.value : v]));
}

/** Jobs in an order that respects `needs` (GitHub runs independent jobs in parallel; we run them in turn). */
export function jobOrder(wf: Workflow): string[] {
  const order: string[] = [];
  const visiting = new Set<string>();
  const visit = (id: string) => {
    if (order.includes(id)) return;
    if (visiting.has(id)) {
      throw new AutocodeError(ErrorCodes.CONFIG_INVALID, `${wf.file}: jobs form a cycle at ${id}`);
    }
    const job = wf.jobs[id];
    if (!job) throw new AutocodeError(ErrorCodes.CONFIG_INVALID, `${wf.file}: needs unknown job ${id}`);
    visiting.add(id);
    for (const need of needsOf(job)) visit(need);
    visiting.delete(id);
    order.push(id);
  };
  for (const id of Object.keys(wf.jobs)) visit(id);
  return order;
}

export function needsOf(job: Job): string[] {
  return job.needs === undefined ? [] : Array.isArray(job.needs) ? job.needs : [job.needs];
}

/** A `uses:` value: a path in the running repository, or `owner/repo[/path]@ref`. */
export type UsesRef =
  { kind: 'local'; path: string } | { kind: 'repo'; owner: string; repo: string; path: string; ref: string };

export function parseUses(uses: string): UsesRef {
  if (uses.startsWith('./')) return { kind: 'local', path: uses.slice(2).replace(/\/+$/, '') };
  const m = /^([\w.-]+)\/([\w.-]+)(?:\/([^@]+))?@(.+)$/.exec(uses);
  if (!m) {
    throw new AutocodeError(
      ErrorCodes.CONFIG_INVALID,
      `uses: "${uses}" is not ./path or owner/repo[/path]@ref`,
    );
  }
  return { kind: 'repo', owner: m[1]!, repo: m[2]!, path: (m[3] ?? '').replace(/\/+$/, ''), ref: m[4]! };
}

/** Does the permissions block grant `id-token: write` (GitHub gives jobs an OIDC token only then)? */
export function grantsIdToken(spec: PermissionsSpec): boolean {
  if (spec === 'write-all') return true;
  return isObject(spec) && spec['id-token'] === 'write';
}
