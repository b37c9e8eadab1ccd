/**
 * Wire contract between the actions and the edge API. Imports nothing, so the Worker can share it.
 * client_payload limits (≤ 10 top-level keys, < 64 KB) are GitHub's; job events mirror the edge's job states.
 */
export const JOB_STATES = ['queued', 'dispatched', 'running', 'pr_opened', 'failed', 'cancelled'] as const;
export type JobState = (typeof JOB_STATES)[number];

/** Sent by workflows to `POST /v1/jobs/{id}/events`. */
export interface JobEvent {
  /** running | pr_opened | failed | cancelled, or an informational kind like `conflict`. */
  type: JobState | 'conflict' | 'progress';
  /** owner/repo the event is about. */
  repository: string;
  message?: string;
  pr_number?: number;
  pr_url?: string;
  run_url?: string;
  /** LLM usage for spend accounting. */
  usage?: { input_tokens: number; output_tokens: number; cost_usd: number };
  details?: Record<string, unknown>;
}

/** Sent to `POST /v1/audit/events`; the edge appends it to the Merkle audit log. */
export interface AuditEvent {
  action: string;
  resource: string;
  result: 'success' | 'failure' | 'denied';
  details?: Record<string, unknown>;
}

/** `GET /v1/killswitch` */
export interface KillSwitchState {
  active: boolean;
  reason?: string;
  tripped_by?: string;
  expires_at?: string | null;
}

/** Error body of every edge 4xx/5xx. */
export interface EdgeErrorBody {
  error: { code: string; message: string };
}
