/**
 * Desired rulesets (from the config) vs what a repository has → a plan of creates and updates. Pure: the same
 * inputs give the same plan, and a repository already matching gets no action (a rerun makes zero writes).
 * Comparison covers only what we manage: GitHub adds defaults (e.g. `allowed_merge_methods`) that are ignored.
 */
import type { RulesetSpec } from './config.js';

export interface Rule {
  type: string;
  parameters?: Record<string, unknown>;
}

export interface RulesetBody {
  name: string;
  target: 'branch';
  enforcement: 'active' | 'evaluate' | 'disabled';
  bypass_actors: unknown[];
  conditions: { ref_name: { include: string[]; exclude: string[] } };
  rules: Rule[];
}

export interface CurrentRuleset {
  id: number;
  name: string;
  target?: string;
  enforcement?: string;
  bypass_actors?: unknown[];
  conditions?: { ref_name?: { include?: string[]; exclude?: string[] } } | null;
  rules?: Rule[];
}

export interface RulesetAction {
  repo: string;
  name: string;
  kind: 'create' | 'update' | 'unchanged';
  id?: number;
  body: RulesetBody;
  /** What differs, for the dry-run report. */
  changes: string[];
}

const refs = (branches: string[]) =>
  branches.map((b) => (b.startsWith('~') || b.startsWith('refs/') ? b : `refs/heads/${b}`));

/** The API body for a ruleset spec (seed defaults: 1 approval, signed commits, no force pushes or deletion). */
export function rulesetBody(spec: RulesetSpec): RulesetBody {
  const rules: Rule[] = [];
  if (spec.block_deletion ?? true) rules.push({ type: 'deletion' });
  if (spec.block_force_pushes ?? true) rules.push({ type: 'non_fast_forward' });
  if (spec.required_signatures ?? true) rules.push({ type: 'required_signatures' });
  if (spec.required_linear_history) rules.push({ type: 'required_linear_history' });
  rules.push({
    type: 'pull_request',
    parameters: {
      required_approving_review_count: spec.required_approvals ?? 1,
      dismiss_stale_reviews_on_push: spec.dismiss_stale_reviews_on_push ?? true,
      require_code_owner_review: spec.require_code_owner_review ?? false,
      require_last_push_approval: spec.require_last_push_approval ?? true,
      required_review_thread_resolution: spec.required_review_thread_resolution ?? false,
    },
  });
  if (spec.required_status_checks?.length) {
    rules.push({
      type: 'required_status_checks',
      parameters: {
        strict_required_status_checks_policy: spec.strict_status_checks ?? true,
        required_status_checks: spec.required_status_checks.map((context) => ({ context })),
      },
    });
  }
  return {
    name: spec.name,
    target: 'branch',
    enforcement: spec.enforcement ?? 'active',
    bypass_actors: spec.bypass_actors ?? [],
    conditions: { ref_name: { include: refs(spec.branches), exclude: refs(spec.exclude ?? []) } },
    rules,
  };
}

/** Does `actual` contain everything `wanted` says (extra keys GitHub adds are fine)? */
function covers(wanted: unknown, actual: unknown): boolean {
  if (Array.isArray(wanted)) {
    return (
      Array.isArray(actual) && wanted.length === actual.length && wanted.every((w, i) => covers(w, actual[i]))
    );
  }
  if (wanted && typeof wanted === 'object') {
    if (!actual || typeof actual !== 'object') return false;
    return Object.entries(wanted).every(([k, v]) => covers(v, (actual as Record<string, unknown>)[k]));
  }
  return wanted === actual;
}

const byType = (rules: Rule[] = []) => new Map(rules.map((r) => [r.type, r]));

export function diffRuleset(body: RulesetBody, current: CurrentRuleset): string[] {
  const changes: string[] = [];
  if (current.enforcement !== body.enforcement)
    changes.push(`enforcement ${current.enforcement} → ${body.enforcement}`);
  if (!covers(body.conditions, current.conditions ?? {})) changes.push('branches');
  if (!covers(body.bypass_actors, current.bypass_actors ?? [])) changes.push('bypass actors');
  const have = byType(current.rules);
  const want = byType(body.rules);
  for (const [type, rule] of want) {
    const got = have.get(type);
    if (!got) changes.push(`add ${type}`);
    else if (!covers(rule.parameters ?? {}, got.parameters ?? {})) changes.push(`change ${type}`);
  }
  for (const type of have.keys()) if (!want.has(type)) changes.push(`remove ${type}`);
  return changes;
}

export function planRulesets(specs: RulesetSpec[], current: Map<string, CurrentRuleset[]>): RulesetAction[] {
  const actions: RulesetAction[] = [];
  for (const spec of specs) {
    const body = rulesetBody(spec);
    for (const repo of spec.repos) {
      const existing = (current.get(repo) ?? []).find((r) => r.name === spec.name);
      if (!existing) {
        actions.push({ repo, name: spec.name, kind: 'create', body, changes: ['new ruleset'] });
        continue;
      }
      const changes = diffRuleset(body, existing);
      actions.push({
        repo,
        name: spec.name,
        kind: changes.length ? 'update' : 'unchanged',
        id: existing.id,
        body,
        changes,
      });
    }
  }
  return actions;
}
