/**
 * Facts from a GitHub pull request: the REST payloads (pull, files with patches, commits with verification,
 * reviews, check runs) → the policy input. Pure: the caller fetches (see actions/policy-check), this only
 * reads plain objects, so it runs in Node and Workers alike and tests need no network.
 */
import type { DiffFile } from './diff.js';
import { parsePatch } from './diff.js';
import type { ChangeOptions } from './facts.js';
import { changeFromFiles } from './facts.js';
import type {
  ApprovalFact,
  CheckFact,
  CommitFact,
  FileStatus,
  Operation,
  Origin,
  PolicyInput,
} from './types.js';

interface Actor {
  login: string;
  type?: string;
}

/** The subset of GitHub's REST shapes that facts extraction reads. */
export interface PullRequestData {
  pull: {
    number: number;
    user: Actor | null;
    body?: string | null;
    labels?: { name?: string }[];
    head: { sha: string };
    base: { ref: string; repo: { full_name: string } };
  };
  files: {
    filename: string;
    previous_filename?: string;
    status: string;
    additions: number;
    deletions: number;
    changes: number;
    patch?: string;
  }[];
  commits: { sha: string; commit: { verification?: { verified: boolean; reason: string } | null } }[];
  reviews: { user: Actor | null; state: string; commit_id: string | null }[];
  checkRuns: { name: string; head_sha: string; conclusion: string | null }[];
}

export interface PullRequestOptions extends Pick<ChangeOptions, 'markers' | 'scanner' | 'maxItems'> {
  operation?: Operation;
  /** Logins whose PRs are automation-authored even without GitHub's Bot type (machine users). */
  automationAuthors?: string[];
  /** Labels marking an LLM-authored PR (default `autocode:llm`). */
  llmLabels?: string[];
  /** The target's `require_approvals` from repo config. */
  requireApprovals?: number;
  killSwitch?: { active: boolean; reason?: string };
}

export const DEFAULT_LLM_LABELS = ['autocode:llm'];

/** "Requested-by: @login" in the PR body names the human who asked for an AI change (codegen writes it). */
export function requesterOf(body: string | null | undefined): string | undefined {
  return /^Requested-by:\s*@?([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\s*$/im.exec(body ?? '')?.[1];
}

export function isBot(actor: Actor | null | undefined): boolean {
  return !!actor && (actor.type === 'Bot' || /\[bot\]$/i.test(actor.login));
}

export function originOf(pull: PullRequestData['pull'], options: PullRequestOptions = {}): Origin {
  const llmLabels = options.llmLabels ?? DEFAULT_LLM_LABELS;
  if (pull.labels?.some((l) => l.name && llmLabels.includes(l.name))) return 'llm';
  const login = pull.user?.login.toLowerCase() ?? '';
  const machines = (options.automationAuthors ?? []).map((l) => l.toLowerCase());
  return isBot(pull.user) || machines.includes(login) ? 'automation' : 'human';
}

const STATUS: Record<string, FileStatus> = {
  added: 'added',
  removed: 'removed',
  renamed: 'renamed',
  copied: 'copied',
};

const BINARY_EXT =
  /\.(?:png|jpe?g|gif|webp|ico|bmp|pdf|zip|gz|tgz|bz2|xz|7z|jar|war|class|so|dylib|dll|exe|bin|wasm|woff2?|ttf|otf|mp[34]|mov|avi|sqlite|db)$/i;

/** GitHub omits `patch` for binary files (and for huge text files, which still report additions). */
function diffFileOf(f: PullRequestData['files'][number]): DiffFile {
  const status = STATUS[f.status] ?? 'modified';
  const init: Partial<DiffFile> = {
    status,
    ...(f.previous_filename ? { previous_path: f.previous_filename } : {}),
  };
  if (f.patch !== undefined) return parsePatch(f.filename, f.patch, init);
  const binary =
    status !== 'removed' && (BINARY_EXT.test(f.filename) || (f.changes === 0 && status !== 'renamed'));
  return {
    path: f.filename,
    ...init,
    status,
    binary,
    additions: f.additions,
    deletions: f.deletions,
    bytes: 0,
    added: [],
    addedLines: [],
  };
}

/**
 * Latest decisive review per reviewer (APPROVED, CHANGES_REQUESTED or DISMISSED; a later COMMENTED review
 * leaves an approval standing, as on GitHub) → the approvals still in force, with the commit they approved.
 */
export function approvalsOf(reviews: PullRequestData['reviews']): ApprovalFact[] {
  const latest = new Map<string, { state: string; commit_id: string; bot: boolean; login: string }>();
  for (const r of reviews) {
    if (!r.user || !['APPROVED', 'CHANGES_REQUESTED', 'DISMISSED'].includes(r.state)) continue;
    latest.set(r.user.login.toLowerCase(), {
      state: r.state,
      commit_id: r.commit_id ?? '',
      bot: isBot(r.user),
      login: r.user.login,
    });
  }
  return [...latest.values()]
    .filter((r) => r.state === 'APPROVED')
    .map((r) => ({ login: r.login, commit_id: r.commit_id, ...(r.bot ? { bot: true } : {}) }));
}

export function commitsOf(commits: PullRequestData['commits']): CommitFact[] {
  return commits.map((c) => ({
    sha: c.sha,
    verified: c.commit.verification?.verified === true,
    reason: c.commit.verification?.reason ?? 'unsigned',
  }));
}

export function checksOf(runs: PullRequestData['checkRuns']): CheckFact[] {
  return runs.map((r) => ({ name: r.name, head_sha: r.head_sha, conclusion: r.conclusion ?? null }));
}

export async function factsFromPullRequest(
  data: PullRequestData,
  options: PullRequestOptions = {},
): Promise<PolicyInput> {
  const { pull } = data;
  const requester = requesterOf(pull.body);
  const change = await changeFromFiles(data.files.map(diffFileOf), {
    origin: originOf(pull, options),
    ...(pull.user ? { author: pull.user.login } : {}),
    ...(requester ? { requester } : {}),
    head_sha: pull.head.sha,
    ...(options.markers ? { markers: options.markers } : {}),
    ...(options.scanner ? { scanner: options.scanner } : {}),
    ...(options.maxItems ? { maxItems: options.maxItems } : {}),
  });
  return {
    operation: options.operation ?? 'merge',
    repository: pull.base.repo.full_name,
    target: {
      ref: pull.base.ref,
      ...(options.requireApprovals ? { require_approvals: options.requireApprovals } : {}),
    },
    change,
    commits: commitsOf(data.commits),
    approvals: approvalsOf(data.reviews),
    checks: checksOf(data.checkRuns),
    kill_switch: options.killSwitch ?? { active: false },
  };
}
