/**
 * The policy input ("facts") and decision shapes. The input is slim by design: paths, counts, added-line
 * markers, scanner findings with file/line, commit verification, approvals and check runs — never a raw
 * patch (moving JSON into wasm memory dominates evaluation time). JSON Schema: `policyInputSchema`.
 */

/** What is being decided. `write`: automation creates commits/branches/PRs; `merge`: merge into the target;
 * `cost`: a cost-affecting operation (plans, seats, runners, budgets). */
export type Operation = 'write' | 'merge' | 'cost';

/** Who authored the change: a person, a non-LLM workflow (sync, rotation), or an LLM (codegen). */
export type Origin = 'human' | 'automation' | 'llm';

export type FileStatus = 'added' | 'modified' | 'removed' | 'renamed' | 'copied';

export interface FileFact {
  path: string;
  /** Set for renames and copies. */
  previous_path?: string;
  status: FileStatus;
  binary: boolean;
  additions: number;
  deletions: number;
}

/** A TODO/FIXME/XXX marker on an added line (new-file line number). */
export interface MarkerFact {
  path: string;
  line: number;
  marker: string;
}

/** A scanner hit on an added line. The secret itself never leaves the scanner: only its fingerprint. */
export interface SecretFinding {
  path: string;
  line: number;
  /** Stable rule id, e.g. `aws-access-key-id`, `secretlint/github`, `entropy`. */
  rule: string;
  /** `secret`: a known credential format (denies); `entropy`: a high-entropy value assigned to a
   * secret-looking name (warns by default). */
  kind: 'secret' | 'entropy';
  description: string;
  /** `sha256:` + 16 hex of SHA-256 over the matched value; what `secrets.allowlist` lists. */
  fingerprint: string;
}

export interface ChangeFacts {
  origin: Origin;
  /** Login of the PR author or committer. */
  author?: string;
  /** The human who asked for an AI change (their approval does not count). */
  requester?: string | null;
  head_sha?: string;
  files: FileFact[];
  totals: { files: number; additions: number; deletions: number; bytes: number };
  markers: MarkerFact[];
  findings: SecretFinding[];
  /** How many markers/findings were dropped to keep the input slim (the first ones are kept). */
  omitted?: { markers: number; findings: number };
}

export interface CommitFact {
  sha: string;
  verified: boolean;
  /** GitHub's verification reason (`unsigned`, `unknown_key`, `valid`, …). */
  reason?: string;
}

/** A reviewer whose latest review is an approval. */
export interface ApprovalFact {
  login: string;
  /** The commit the approval was given on. */
  commit_id: string;
  bot?: boolean;
}

export interface CheckFact {
  name: string;
  head_sha: string;
  /** `success`, `failure`, …; null while queued or in progress. */
  conclusion: string | null;
}

export interface PolicyInput {
  operation: Operation;
  /** owner/repo */
  repository?: string;
  target?: {
    ref?: string;
    /** Force the target protected regardless of `approvals.protected_refs`. */
    protected?: boolean;
    /** The target's `require_approvals` from repo config (overrides `approvals.required`). */
    require_approvals?: number;
  };
  change?: ChangeFacts;
  commits?: CommitFact[];
  approvals?: ApprovalFact[];
  checks?: CheckFact[];
  kill_switch?: { active: boolean; reason?: string };
  cost?: { proposer: string; approvals: { login: string; admin: boolean; bot?: boolean }[] };
}

export type RuleId =
  | 'kill-switch'
  | 'human-approvals'
  | 'no-secrets'
  | 'required-checks'
  | 'no-todo-markers'
  | 'verified-commits'
  | 'protected-paths'
  | 'change-limits'
  | 'no-llm-binaries'
  | 'cost-approvals';

export interface Violation {
  rule: RuleId;
  message: string;
  path?: string;
  line?: number;
}

export interface RuleOutcome {
  id: RuleId;
  title: string;
  /** `skip`: the rule does not apply to this input (e.g. approvals outside a merge). */
  outcome: 'pass' | 'warn' | 'deny' | 'skip';
}

export interface Decision {
  allow: boolean;
  deny: Violation[];
  warn: Violation[];
  rules: RuleOutcome[];
}

/** Policy configuration (`data.config`); every key optional, merged over the defaults in rego/lib.rego. */
export interface PolicyConfig {
  approvals?: { required?: number; protected_refs?: string[]; protected_repos?: string[]; ignore?: string[] };
  secrets?: { allowlist?: string[]; entropy?: 'warn' | 'deny' };
  required_checks?: { names?: string[] };
  todo_markers?: { markers?: string[] };
  verified_commits?: { enabled?: boolean };
  protected_paths?: {
    mode?: 'deny' | 'review';
    /** File names protected in any directory (CODEOWNERS, manifests, lockfiles). */
    names?: string[];
    /** Path prefixes (`.github/workflows/`). */
    prefixes?: string[];
    /** Globs over the whole path (`/` separates segments). */
    patterns?: string[];
  };
  limits?: {
    applies_to?: 'automation' | 'all';
    max_files?: number;
    max_changed_lines?: number;
    max_bytes?: number;
  };
  binaries?: { enabled?: boolean };
  kill_switch?: { enabled?: boolean };
  cost?: { min_admin_approvals?: number };
}
