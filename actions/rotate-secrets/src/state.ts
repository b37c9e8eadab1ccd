/**
 * Rotation state: per secret, when it was last rotated and whether an old value is still kept for its grace
 * period. Never holds a value. It lives as JSON in a file on a dedicated branch of the ops repository
 * (`autocode-rotation-state` by default), so every change is a commit: durable, reviewable, and readable by
 * the next scheduled run that performs the revocation.
 */
import { DEFAULTS } from './plan.js';
import type { RotationPlan, SecretSpec } from './plan.js';

export interface PendingRevocation {
  since: string;
  revokeAfter: string;
  /** Stores that hold the old value in a `previous` slot. */
  slots: string[];
}

export interface SecretState {
  kind: string;
  rotatedAt?: string;
  /** Manual credentials: when the current one was created (from the plan). */
  createdAt?: string;
  pending?: PendingRevocation;
  lastError?: string;
}

export interface RotationState {
  version: 1;
  updatedAt?: string;
  secrets: Record<string, SecretState>;
}

export const emptyState = (): RotationState => ({ version: 1, secrets: {} });

export type Action = 'rotate' | 'revoke' | 'wait' | 'ok' | 'manual';

export interface Decision {
  action: Action;
  reason: string;
  /** Days since the last rotation (or creation, for manual credentials); undefined when never rotated. */
  ageDays: number | undefined;
}

const DAY_MS = 86_400_000;

export function ageInDays(since: string | undefined, now: Date): number | undefined {
  if (!since) return undefined;
  const t = Date.parse(since);
  return Number.isFinite(t) ? Math.floor((now.getTime() - t) / DAY_MS) : undefined;
}

export function addDays(now: Date, n: number): string {
  return new Date(now.getTime() + n * DAY_MS).toISOString();
}

export function limits(plan: RotationPlan, spec: SecretSpec) {
  return {
    interval: spec.interval_days ?? plan.interval_days ?? DEFAULTS.interval_days,
    maxAge:
      spec.max_age_days ??
      (spec.manual ? DEFAULTS.app_key_max_age_days : (plan.max_age_days ?? DEFAULTS.max_age_days)),
    grace: spec.grace_days ?? plan.grace_days ?? DEFAULTS.grace_days,
  };
}

/** What this run does for one secret. `force` rotates regardless of age (workflow_dispatch). */
export function decide(
  plan: RotationPlan,
  spec: SecretSpec,
  entry: SecretState | undefined,
  now: Date,
  force: boolean,
): Decision {
  if (spec.manual) {
    return {
      action: 'manual',
      reason: 'rotated by hand; age tracked',
      ageDays: ageInDays(spec.created_at, now),
    };
  }
  const age = ageInDays(entry?.rotatedAt, now);
  const { interval } = limits(plan, spec);
  if (entry?.pending) {
    if (now.getTime() >= Date.parse(entry.pending.revokeAfter)) {
      return { action: 'revoke', reason: `grace period ended ${entry.pending.revokeAfter}`, ageDays: age };
    }
    return { action: 'wait', reason: `old value kept until ${entry.pending.revokeAfter}`, ageDays: age };
  }
  if (force) return { action: 'rotate', reason: 'rotation requested', ageDays: age };
  if (age === undefined) return { action: 'rotate', reason: 'no rotation on record', ageDays: age };
  if (age >= interval)
    return { action: 'rotate', reason: `${age} days old (interval ${interval})`, ageDays: age };
  return { action: 'ok', reason: `${age} days old (next at ${interval})`, ageDays: age };
}

/** Overdue after this run: older than max_age (a secret never rotated is overdue once a rotation failed). */
export function isOverdue(
  plan: RotationPlan,
  spec: SecretSpec,
  entry: SecretState | undefined,
  now: Date,
): boolean {
  const since = spec.manual ? spec.created_at : entry?.rotatedAt;
  const age = ageInDays(since, now);
  if (age === undefined) return !!entry?.lastError;
  return age > limits(plan, spec).maxAge;
}

/** Parse the stored JSON, tolerating a missing file (first run). */
export function parseState(text: string | undefined): RotationState {
  if (!text) return emptyState();
  const parsed = JSON.parse(text) as RotationState;
  if (parsed.version !== 1 || typeof parsed.secrets !== 'object') {
    throw new Error('rotation state file has an unknown format (expected {"version":1,"secrets":{…}})');
  }
  return parsed;
}
