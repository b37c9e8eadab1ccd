/**
 * Wire shapes of the edge API as the PWA reads them, transcribed from `edge-api/src/handlers/*` (the Worker
 * has no shared response types yet). Shared contract types come from `@autocode/toolkit/contract`.
 */
import type { JobState, KillSwitchState } from '@autocode/toolkit/contract';

export type { JobState, KillSwitchState };

/** The commands the edge accepts (its `domain/commands.ts`), with what the phone shows for each. */
export const COMMAND_LABELS = {
  codegen: 'Generate code (codegen)',
  sync: 'Sync from the foundation repository',
  'policy-check': 'Run the policy check',
  'rotate-secrets': 'Rotate secrets',
} as const;
export type CommandName = keyof typeof COMMAND_LABELS;

/** `POST /v1/commands` body. */
export interface CommandBody {
  /** `owner/name`; the owner must be one the edge allows. */
  repo: string;
  command: CommandName;
  /** Up to 16 000 characters; for codegen, `/<template> …` picks a prompt template. */
  prompt?: string;
  /** Branch or tag the job starts from (default: the repository's default branch). */
  ref?: string;
  /** At most 8 keys (the edge's schema). */
  args?: Record<string, string | number | boolean>;
}

/** `POST /v1/commands` → 202. */
export interface CommandAccepted {
  job_id: string;
  state: JobState;
}

/** `GET /v1/status/{id}` and each entry of `GET /v1/commands` (edge `publicJob`). */
export interface Job {
  job_id: string;
  repo: string;
  command: string;
  state: JobState;
  message: string | null;
  pr_number: number | null;
  pr_url: string | null;
  run_url: string | null;
  requested_by: string;
  created_at: string;
  updated_at: string;
}

export interface JobList {
  jobs: Job[];
}

/** The latest check run the edge saw for the PR's head (webhook `check_run`). */
export interface CheckSummary {
  name: string;
  status: string;
  conclusion: string | null;
}

/** `GET /v1/prs` entries: rows the edge keeps from `pull_request` webhooks. */
export interface PrSummary {
  id: number;
  repo: string;
  number: number;
  title: string;
  author: string | null;
  head_sha: string;
  state: 'open' | 'closed' | 'merged';
  html_url: string | null;
  job_id: string | null;
  review_state: string | null;
  checks: CheckSummary | null;
  /** Epoch milliseconds. */
  updated_at: number;
}

export interface PrList {
  prs: PrSummary[];
}

/** GitHub's per-file entry of a pull request, as the edge relays it. */
export interface PrFile {
  filename: string;
  /** added | removed | modified | renamed | copied | changed | unchanged */
  status: string;
  additions: number;
  deletions: number;
  /** Unified-diff hunks without file headers; absent for binary files and very large diffs. */
  patch?: string;
}

/** `GET /v1/prs/{id}`: the row plus the live head SHA and state, files, and whether this user may approve. */
export interface PrDetail extends PrSummary {
  can_approve: boolean;
  files: PrFile[];
}

export type Decision = 'approve' | 'request_changes';

export interface ApprovalTarget {
  repo: string;
  pr_number: number;
  decision: Decision;
}

/** `POST /v1/approvals/challenge` → a single-use challenge bound to (PR, head SHA, decision). */
export interface ApprovalChallenge {
  head_sha: string;
  /** PublicKeyCredentialRequestOptionsJSON, handed to @simplewebauthn/browser as is. */
  options: Record<string, unknown>;
}

export interface ApprovalBody extends ApprovalTarget {
  head_sha: string;
  comment?: string;
  assertion: unknown;
}

export interface ApprovalResult {
  approval_id: string;
  review_id: number | null;
  decision: Decision;
}

export interface RegistrationResult {
  verified: boolean;
  credential_id: string;
}

export interface KillSwitchBody {
  active?: boolean;
  reason: string;
  /** 1 minute to 7 days. */
  duration_minutes?: number;
}

export const BILLING_SETTINGS = ['daily_llm_budget_usd', 'runner_max'] as const;
export type BillingSetting = (typeof BILLING_SETTINGS)[number];

export interface BillingProposal {
  id: string;
  setting: BillingSetting;
  value: number;
  reason: string;
  proposed_by: string;
  status: 'pending' | 'applied' | string;
  created_at: number;
  applied_at: number | null;
  approvals: string[];
  required_approvals: number;
}

export interface BillingList {
  proposals: BillingProposal[];
  settings: Partial<Record<BillingSetting, number>>;
}

export interface ProposalCreated {
  id: string;
  status: string;
  required_approvals: number;
}

export interface PushSubscriptionBody {
  endpoint: string;
  expirationTime?: number | null;
  keys: { p256dh: string; auth: string };
}

/**
 * System status for the dashboard. The edge exposes these numbers only as Prometheus text behind an internal
 * token (`/metrics`); `GET /v1/system` is the JSON route the PWA asks for, and `system.ts` falls back to what
 * the user routes show when the edge does not have it.
 */
export interface SystemStatus {
  jobs: Partial<Record<JobState, number>>;
  llm: {
    spend_usd_today: number | null;
    budget_usd_daily: number | null;
    input_tokens?: number;
    output_tokens?: number;
  };
  killswitch: KillSwitchState;
  /** True when the numbers were assembled from user routes (the edge has no `/v1/system`). */
  partial?: boolean;
}
