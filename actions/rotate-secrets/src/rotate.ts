/**
 * The rotation use case. For each secret in the plan: decide (rotate / revoke / wait / ok / manual), then
 * generate → store new (old kept in `previous` slots) → verify → record the grace period; a later scheduled run
 * revokes the old value. Overdue secrets and old manual credentials get an issue. Every step is an audit event,
 * every write is preceded by the kill-switch check, and values only ever pass through `reporter.secret()`.
 */
import { toAutocodeError } from '@autocode/toolkit';
import type { RotationPlan, SecretSpec } from './plan.js';
import type { RotationDeps } from './ports.js';
import type { Action, RotationState, SecretState } from './state.js';
import { addDays, ageInDays, decide, isOverdue, limits } from './state.js';
import { appKeyIssue, overdueIssue } from './issues.js';

export interface RotationOptions {
  dryRun: boolean;
  /** Secret names to rotate now regardless of age ("*" = all). */
  force: string[];
}

export interface SecretOutcome {
  name: string;
  action: Action;
  result: 'done' | 'planned' | 'skipped' | 'failed';
  detail: string;
  overdue: boolean;
}

export interface RotationResult {
  state: RotationState;
  outcomes: SecretOutcome[];
}

export async function runRotation(
  plan: RotationPlan,
  previous: RotationState,
  deps: RotationDeps,
  options: RotationOptions,
): Promise<RotationResult> {
  const state: RotationState = structuredClone(previous);
  const outcomes: SecretOutcome[] = [];
  for (const spec of plan.secrets) {
    const entry: SecretState = (state.secrets[spec.name] ??= {
      kind: spec.kind ?? (spec.manual ? 'manual' : 'generated'),
    });
    const forced = options.force.includes('*') || options.force.includes(spec.name);
    const decision = decide(plan, spec, entry, deps.now(), forced);
    const outcome: SecretOutcome = {
      name: spec.name,
      action: decision.action,
      result: 'skipped',
      detail: decision.reason,
      overdue: false,
    };
    outcomes.push(outcome);
    if (options.dryRun) {
      outcome.result = ['rotate', 'revoke'].includes(decision.action) ? 'planned' : 'skipped';
    } else if (decision.action === 'rotate' || decision.action === 'revoke') {
      try {
        if (decision.action === 'rotate') await rotate(plan, spec, entry, deps);
        else await revoke(spec, entry, deps);
        delete entry.lastError;
        outcome.result = 'done';
      } catch (err) {
        const e = toAutocodeError(err);
        // The kill switch stops the whole run: no further writes of any kind.
        if (e.code === 'KILL_SWITCH_ACTIVE') throw e;
        entry.lastError = e.message;
        outcome.result = 'failed';
        outcome.detail = e.message;
        deps.reporter.error(`${spec.name}: ${decision.action} failed: ${e.message}`);
        await deps.audit({
          action: `secret.${decision.action}`,
          resource: spec.name,
          result: 'failure',
          details: { error: e.code },
        });
      }
    }
    if (spec.manual) entry.createdAt = spec.created_at;
    outcome.overdue = await trackAge(plan, spec, entry, deps, options.dryRun);
  }
  state.updatedAt = deps.now().toISOString();
  return { state, outcomes };
}

async function rotate(
  plan: RotationPlan,
  spec: SecretSpec,
  entry: SecretState,
  deps: RotationDeps,
): Promise<void> {
  const { reporter } = deps;
  const value = deps.generate(spec.generator!);
  reporter.secret(value);
  const current = spec.current_value_env ? deps.env(spec.current_value_env) : undefined;
  if (current) reporter.secret(current);
  await deps.audit({
    action: 'secret.generate',
    resource: spec.name,
    result: 'success',
    details: { generator: spec.generator?.type },
  });
  const stores = deps.stores(spec);
  const slots: string[] = [];
  for (const store of stores) {
    await deps.guard();
    const keepOld = store.hasPreviousSlot && current !== undefined;
    if (store.hasPreviousSlot && !keepOld) {
      reporter.warning(
        `${spec.name}: ${store.describe} has a previous slot but ${spec.current_value_env ?? 'current_value_env'} is not set; the old value is not kept`,
      );
    }
    await store.write(value, keepOld ? current : undefined);
    if (keepOld) slots.push(store.describe);
    reporter.info(
      `${spec.name}: stored in ${store.describe}${keepOld ? ' (old value kept as previous)' : ''}`,
    );
    await deps.audit({
      action: 'secret.store',
      resource: spec.name,
      result: 'success',
      details: { store: store.describe, previous_kept: keepOld },
    });
  }
  const writtenAt = deps.now();
  for (const store of stores) await store.verify(writtenAt);
  for (const check of spec.verify ?? []) await deps.verify(check, value);
  await deps.audit({
    action: 'secret.verify',
    resource: spec.name,
    result: 'success',
    details: { stores: stores.length, checks: (spec.verify ?? []).map((c) => c.type) },
  });
  entry.rotatedAt = writtenAt.toISOString();
  const grace = limits(plan, spec).grace;
  entry.pending = slots.length
    ? { since: entry.rotatedAt, revokeAfter: addDays(writtenAt, grace), slots }
    : undefined;
  if (!entry.pending) delete entry.pending;
}

async function revoke(spec: SecretSpec, entry: SecretState, deps: RotationDeps): Promise<void> {
  const pending = entry.pending!;
  for (const store of deps.stores(spec).filter((s) => pending.slots.includes(s.describe))) {
    await deps.guard();
    await store.revokePrevious();
    deps.reporter.info(`${spec.name}: old value revoked in ${store.describe}`);
    await deps.audit({
      action: 'secret.revoke',
      resource: spec.name,
      result: 'success',
      details: { store: store.describe },
    });
  }
  // The value in use is the new one now; when the workflow passes it, prove it still works alone.
  const current = spec.current_value_env ? deps.env(spec.current_value_env) : undefined;
  if (current) {
    deps.reporter.secret(current);
    for (const check of spec.verify ?? []) await deps.verify(check, current);
  }
  delete entry.pending;
}

/** Overdue/old-key issues (opened once, closed when resolved); returns whether the secret is overdue. */
async function trackAge(
  plan: RotationPlan,
  spec: SecretSpec,
  entry: SecretState,
  deps: RotationDeps,
  dryRun: boolean,
): Promise<boolean> {
  const now = deps.now();
  const { maxAge } = limits(plan, spec);
  const overdue = isOverdue(plan, spec, entry, now);
  const key = `${spec.manual ? 'manual' : 'overdue'}:${spec.name}`;
  const age = ageInDays(spec.manual ? spec.created_at : entry.rotatedAt, now);
  // Manual credentials get their issue 30 days before the limit, so there is time to do it by hand.
  const due = spec.manual ? age !== undefined && age > maxAge - 30 : overdue;
  if (due) {
    deps.reporter.annotate({
      level: 'error',
      title: spec.manual ? 'Manual rotation due' : 'Secret rotation overdue',
      message: `${spec.name}: ${age ?? 'unknown'} days since ${spec.manual ? 'creation' : 'rotation'} (limit ${maxAge})`,
    });
  }
  if (dryRun || !deps.issues) return overdue;
  if (due) {
    const issue = spec.manual
      ? appKeyIssue(spec, age, maxAge)
      : overdueIssue(spec, age, maxAge, entry.lastError);
    await deps.guard();
    const r = await deps.issues.ensureOpen(key, issue.title, issue.body);
    await deps.audit({
      action: spec.manual ? 'secret.manual_due' : 'secret.overdue',
      resource: spec.name,
      result: 'success',
      details: { issue: r, age_days: age ?? null },
    });
  } else {
    await deps.guard();
    if (await deps.issues.close(key, `Resolved: ${spec.name} is ${age ?? 0} days old (limit ${maxAge}).`)) {
      await deps.audit({ action: 'secret.issue_closed', resource: spec.name, result: 'success' });
    }
  }
  return overdue;
}
