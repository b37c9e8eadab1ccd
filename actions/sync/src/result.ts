/** Per-target outcome of a sync, rollback or dry run: what the summary, the outputs and job events report. */
import type { Conflict } from './types.js';

export type TargetStatus =
  /** A sync PR was opened. */
  | 'created'
  /** The existing sync PR got a new commit. */
  | 'updated'
  /** create_pr: false — the sync branch was updated, no PR. */
  | 'branch-updated'
  /** Nothing to do: zero writes. */
  | 'unchanged'
  /** The target already matches the source: the stale sync PR was closed. */
  | 'closed'
  /** People pushed commits to the sync branch: stopped for this target. */
  | 'blocked'
  /** People closed the sync PR for exactly this content: not reopened. */
  | 'declined'
  /** on_conflict: fail and the target has conflicts: nothing written but the issue. */
  | 'conflict'
  /** Not enough content-creation budget left this hour: a rerun picks it up. */
  | 'deferred'
  | 'failed'
  /** Dry run: the plan only. */
  | 'planned';

export type PrAction = 'create' | 'update' | 'none' | 'close' | 'branch-only';

export interface PlanSummary {
  base: string;
  branch: string;
  added: string[];
  modified: string[];
  deleted: string[];
  conflicts: Conflict[];
  unchanged: number;
  selected: number;
  prAction: PrAction;
  /** Binary files uploaded as blobs (text goes inline in the tree). */
  binary: number;
}

export interface TargetResult {
  repo: string;
  status: TargetStatus;
  message: string;
  plan?: PlanSummary;
  pr?: { number: number; url: string };
  commit?: string;
  issue?: { number: number; url: string };
  autoMerge?: string;
  /** Content-creating requests this target made. */
  writes: number;
  error?: { code: string; message: string };
}

/** Statuses that fail the run (after every target has had its turn). */
export const FAILING: readonly TargetStatus[] = ['failed', 'conflict'];
