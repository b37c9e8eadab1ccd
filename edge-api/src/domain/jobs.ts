/**
 * Job state machine: queued → dispatched → running → pr_opened | failed | cancelled. Callbacks and webhooks may
 * arrive late, twice or out of order, so a transition names the states it may leave and a repeated event is a
 * no-op rather than an error.
 */
import type { JobState } from '@autocode/toolkit/contract';

const NEXT: Record<JobState, readonly JobState[]> = {
  queued: ['dispatched', 'running', 'pr_opened', 'failed', 'cancelled'],
  dispatched: ['running', 'pr_opened', 'failed', 'cancelled'],
  running: ['pr_opened', 'failed', 'cancelled'],
  pr_opened: [],
  failed: [],
  cancelled: [],
};

export const TERMINAL: readonly JobState[] = ['pr_opened', 'failed', 'cancelled'];

/** States from which `to` may be entered (used in `UPDATE … WHERE state IN (…)`). */
export function sourcesOf(to: JobState): JobState[] {
  return (Object.keys(NEXT) as JobState[]).filter((from) => NEXT[from].includes(to));
}

export function canTransition(from: JobState, to: JobState): boolean {
  return NEXT[from].includes(to);
}
