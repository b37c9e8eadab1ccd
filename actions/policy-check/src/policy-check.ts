/**
 * The policy check use case: facts from a pull request → decision → job summary, annotations and an
 * outcome. Collaborators (GitHub reads, the engine, the scanner, the kill switch) are passed in, so the same
 * core runs in the action and in tests; it never reads the environment or the clock.
 */
import type { Reporter } from '@autocode/toolkit';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type {
  Decision,
  Operation,
  PolicyConfig,
  PolicyEngine,
  PullRequestData,
  SecretScanner,
} from '@autocode/policies';
import { decisionRows, factsFromPullRequest, where } from '@autocode/policies';

export interface PolicyCheckOptions {
  owner: string;
  repo: string;
  pullNumber: number;
  configPath: string;
  operation: Operation;
  requireApprovals?: number;
  automationAuthors: string[];
  llmLabels: string[];
}

export interface PolicyCheckDeps {
  fetchPullRequest(): Promise<PullRequestData>;
  fetchConfig(baseRef: string): Promise<PolicyConfig>;
  /** Kill-switch state; callers fail closed (unknown state = active). */
  killSwitch(): Promise<{ active: boolean; reason?: string }>;
  engine: PolicyEngine;
  scanner: SecretScanner;
  reporter: Reporter;
}

export async function checkPullRequest(
  options: PolicyCheckOptions,
  deps: PolicyCheckDeps,
): Promise<Decision> {
  const data = await deps.fetchPullRequest();
  const config = await deps.fetchConfig(data.pull.base.ref);
  const input = await factsFromPullRequest(data, {
    operation: options.operation,
    automationAuthors: options.automationAuthors,
    llmLabels: options.llmLabels,
    ...(options.requireApprovals ? { requireApprovals: options.requireApprovals } : {}),
    ...(config.todo_markers?.markers ? { markers: config.todo_markers.markers } : {}),
    scanner: deps.scanner,
    killSwitch: await deps.killSwitch(),
  });
  deps.engine.configure(config);
  const decision = deps.engine.evaluate(input);
  report(
    decision,
    `${options.owner}/${options.repo}#${options.pullNumber}`,
    data.pull.head.sha,
    deps.reporter,
  );
  return decision;
}

/** Job summary (verdict + one row per rule) and an annotation per deny/warn entry, on its file/line. */
export function report(decision: Decision, subject: string, headSha: string, reporter: Reporter): void {
  const verdict = decision.allow
    ? decision.warn.length
      ? '✅ allowed with warnings'
      : '✅ allowed'
    : '❌ denied';
  reporter.markdown(`## autocode policy: ${verdict}\n\n${subject} at \`${headSha.slice(0, 12)}\``);
  reporter.table('Rules', ['rule', 'title', 'outcome', 'details'], decisionRows(decision));
  for (const [level, list] of [
    ['error', decision.deny],
    ['warning', decision.warn],
  ] as const) {
    for (const v of list) {
      reporter.annotate({
        level,
        title: `policy ${v.rule}`,
        message: v.message,
        ...(v.path ? { file: v.path } : {}),
        ...(v.line ? { line: v.line } : {}),
      });
    }
  }
}

/** The action fails on deny: one error naming the rules; details are in the summary and annotations. */
export function denial(decision: Decision, subject: string): AutocodeError {
  const rules = [...new Set(decision.deny.map((v) => v.rule))];
  const first = decision.deny[0]!;
  return new AutocodeError(
    ErrorCodes.POLICY_DENIED,
    `policy denied ${subject}: ${rules.join(', ')} (${where(first)}${first.message}${decision.deny.length > 1 ? `; +${decision.deny.length - 1} more` : ''})`,
    { hint: 'see the job summary and the annotations for every finding', details: { rules } },
  );
}
