/**
 * The metadata record: everything that produced a change, written by generate beside the patch, read by gate,
 * publish and the failure path, and rendered into the PR body. Plain JSON; the secret values that redaction
 * removed never appear in it (only path, line and rule).
 */
import type { Decision } from '@autocode/policies';
import type { CheckResult } from './checks/run.js';
import type { Redaction } from './context/redact.js';
import type { BudgetTotals } from './llm/budget.js';

export type RecordStatus = 'ready' | 'no_changes' | 'checks_failed' | 'edits_failed' | 'failed';

export interface CallSummary {
  template: string;
  provider: string;
  model: string;
  prompt_hash: string;
  cached: boolean;
  input_tokens: number;
  output_tokens: number;
  cached_input_tokens: number;
  cost_usd: number;
  latency_ms: number;
  attempts: { provider: string; outcome: string; ms: number }[];
}

export interface ReviewVerdict {
  verdict: 'approve' | 'request_changes' | 'comment';
  concerns: string[];
  summary: string;
  provider: string;
  model: string;
}

export interface CodegenRecord {
  version: 1;
  id: string;
  job_id?: string;
  repository: string;
  base: { ref: string; sha: string };
  command: string;
  requester: string;
  component: string;
  branch: string;
  created_at: string;
  run_url?: string;
  template: { name: string; reason: string };
  llm: {
    calls: CallSummary[];
    totals: BudgetTotals;
    prompt_hash?: string;
    provider?: string;
    model?: string;
  };
  context: {
    files_considered: number;
    included: string[];
    omitted: string[];
    redactions: Redaction[];
    tokens: { map: number; files: number };
    sanitized: { invisible: number; comments: number };
  };
  edits: { rounds: number; reflection_errors: string[]; refused_paths: string[] };
  checks: { network: 'isolated' | 'host'; notes: string[]; fixup_round: boolean; results: CheckResult[] };
  review?: ReviewVerdict | { skipped: string };
  policy_preview?: Pick<Decision, 'allow' | 'deny' | 'warn'>;
  files: { path: string; status: 'added' | 'modified' | 'removed' }[];
  status: RecordStatus;
  failure?: { code: string; message: string; hint?: string };
}

const STOP = new Set(
  'a an and the for to of in on with into from by please generate add create make new update implement write'.split(
    ' ',
  ),
);

/** `automation/cp-<component>-<timestamp>`: the component names what changed, the UTC timestamp makes it unique. */
export function branchName(component: string, at: Date): string {
  const ts = at.toISOString().replace(/[-:T]/g, '').slice(0, 14);
  return `automation/cp-${component}-${ts}`;
}

/** A component slug from an explicit value, else from the command's first meaningful words. */
export function componentOf(command: string, explicit?: string, fallback = 'change'): string {
  const source =
    explicit ??
    (command.toLowerCase().match(/[a-z0-9]+/g) ?? [])
      .filter((w) => !STOP.has(w))
      .slice(0, 3)
      .join('-');
  const slug = source
    .toLowerCase()
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/-+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40)
    .replace(/-$/, '');
  return slug || fallback;
}
