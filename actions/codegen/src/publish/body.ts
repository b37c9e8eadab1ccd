/**
 * What the reviewer reads: the PR body records the command, requester, template, provider/model, prompt
 * hash, tokens, cost, checks, policy decision, review verdict and the artifact link; the failure issue
 * carries the failing output instead. `Requested-by: @login` is the line the policy reads to know whose
 * approval does not count. GitHub caps bodies at 65 536 characters; long sections are cut to fit.
 */
import type { Decision } from '@autocode/policies';
import { markdownTable } from '@autocode/toolkit';
import type { CodegenRecord } from '../record.js';

export const BODY_LIMIT = 65_000;
export const marker = (kind: 'pr' | 'failure', id: string) => `<!-- autocode:codegen-${kind} id=${id} -->`;

const usd = (n: number) => `$${n.toFixed(4)}`;
const short = (sha: string) => sha.slice(0, 7);
const quote = (text: string) =>
  text
    .split('\n')
    .map((l) => `> ${l}`)
    .join('\n');

export function prTitle(record: CodegenRecord): string {
  const first = record.command.split('\n')[0]!.trim();
  return `autocode: ${first.length > 72 ? `${first.slice(0, 71)}…` : first}`;
}

function summaryTable(record: CodegenRecord, artifactUrl: string | undefined): string {
  const t = record.llm.totals;
  const failovers = record.llm.calls.flatMap((c) => c.attempts.filter((a) => a.outcome !== 'ok')).length;
  const rows = [
    ['Requester', `@${record.requester}`],
    ['Template', `\`${record.template.name}\` (${record.template.reason})`],
    [
      'Provider / model',
      `${record.llm.provider ?? '—'} / \`${record.llm.model ?? '—'}\`${failovers ? ` (${failovers} failed attempt(s) before success)` : ''}`,
    ],
    ['Prompt hash', record.llm.prompt_hash ? `\`${record.llm.prompt_hash}\`` : '—'],
    [
      'Tokens',
      `${t.inputTokens} input (${t.cachedInputTokens} cached) · ${t.outputTokens} output · ${t.calls} call(s), ${t.cacheHits} response-cache hit(s)`,
    ],
    ['Cost', usd(t.costUsd)],
    ['Base', `\`${record.base.ref}\` @ \`${short(record.base.sha)}\``],
    ['Run', record.run_url ? `[workflow run](${record.run_url})` : '—'],
    ['Artifacts', artifactUrl ? `[patch, record and logs](${artifactUrl})` : '—'],
  ];
  return markdownTable(['', ''], rows);
}

function checksSection(record: CodegenRecord): string {
  const { results, network, notes, fixup_round } = record.checks;
  if (results.length === 0) return '_No checks configured._';
  const table = markdownTable(
    ['Check', 'Command', 'Result', 'Time'],
    results.map((r) => [
      r.name,
      `\`${r.command}\``,
      r.passed ? '✅ passed' : `❌ exit ${r.exitCode}${r.timedOut ? ' (time limit)' : ''}`,
      `${(r.durationMs / 1000).toFixed(1)} s`,
    ]),
  );
  const sandbox = `Network: ${network === 'isolated' ? 'isolated (`unshare -n`)' : '**host network** (isolation unavailable)'}; memory and time capped.${notes.length ? ` ${notes.join(' ')}` : ''}`;
  return `${table}\n\n${sandbox}\nFix-up round used: ${fixup_round ? 'yes' : 'no'}.`;
}

function policySection(decision: Pick<Decision, 'allow' | 'deny' | 'warn'> | undefined): string {
  if (!decision) return '_Not evaluated._';
  const lines = [
    `Decision: **${decision.allow ? 'allow' : 'deny'}**${decision.warn.length ? ` with ${decision.warn.length} warning(s)` : ''}`,
    ...decision.deny.map(
      (v) => `- ⛔ \`${v.rule}\` ${v.message}${v.path ? ` (${v.path}${v.line ? `:${v.line}` : ''})` : ''}`,
    ),
    ...decision.warn.map(
      (v) => `- ⚠️ \`${v.rule}\` ${v.message}${v.path ? ` (${v.path}${v.line ? `:${v.line}` : ''})` : ''}`,
    ),
  ];
  return lines.join('\n');
}

function reviewSection(record: CodegenRecord): string {
  const r = record.review;
  if (!r) return '_Not run._';
  if ('skipped' in r) return `_Skipped: ${r.skipped}_`;
  return [
    `Verdict: **${r.verdict.replace('_', ' ')}** (${r.provider} / \`${r.model}\`)`,
    ...(r.concerns.length ? ['', 'Concerns:', ...r.concerns.map((c) => `- ${c}`)] : []),
    ...(r.summary ? ['', r.summary] : []),
    '',
    '_The model review informs; it never replaces the checks, the policy gate or a human approval._',
  ].join('\n');
}

function contextSection(record: CodegenRecord): string {
  const c = record.context;
  const redacted = c.redactions.length
    ? `${c.redactions.length} secret(s) redacted before sending: ${c.redactions.map((r) => `${r.path}:${r.line} (${r.rule})`).join(', ')}`
    : 'no secrets found in the context';
  const removed =
    c.sanitized.invisible || c.sanitized.comments
      ? `; removed from the command: ${c.sanitized.invisible} invisible character(s), ${c.sanitized.comments} HTML comment(s)`
      : '';
  return `Files sent (${c.included.length} of ${c.files_considered}, ${c.tokens.map + c.tokens.files} tokens): ${c.included.map((p) => `\`${p}\``).join(', ') || 'none'}\n${redacted}${removed}.\nEdit rounds: ${record.edits.rounds} (reflection errors: ${record.edits.reflection_errors.length}).`;
}

function callsTable(record: CodegenRecord): string {
  return markdownTable(
    ['Step', 'Provider / model', 'Input', 'Output', 'Cost', 'Cache'],
    record.llm.calls.map((c) => [
      c.template,
      `${c.provider} / ${c.model}`,
      String(c.input_tokens),
      String(c.output_tokens),
      usd(c.cost_usd),
      c.cached ? 'response cache' : c.cached_input_tokens ? `${c.cached_input_tokens} prompt-cached` : '—',
    ]),
  );
}

/** A code block whose fence is longer than any backtick run in the text, so output cannot break out of it. */
function fenced(text: string): string {
  const fence = '`'.repeat(Math.max(3, ...[...text.matchAll(/`+/g)].map((m) => m[0].length + 1)));
  return `${fence}text\n${text.trimEnd()}\n${fence}`;
}

function fit(text: string): string {
  return text.length <= BODY_LIMIT
    ? text
    : `${text.slice(0, BODY_LIMIT - 40)}\n\n… (truncated to fit GitHub's limit)`;
}

export function prBody(
  record: CodegenRecord,
  decision: Pick<Decision, 'allow' | 'deny' | 'warn'>,
  artifactUrl?: string,
): string {
  return fit(
    [
      marker('pr', record.id),
      `Requested-by: @${record.requester}`,
      '',
      '## Command',
      quote(record.command),
      '',
      summaryTable(record, artifactUrl),
      '',
      '## Checks',
      checksSection(record),
      '',
      '## Policy',
      policySection(decision),
      '',
      '## Model review',
      reviewSection(record),
      '',
      '## Context',
      contextSection(record),
      '',
      '<details><summary>LLM calls</summary>',
      '',
      callsTable(record),
      '',
      '</details>',
      '',
      '_Opened as a draft by autocode codegen. A human must review and approve before merge._',
    ].join('\n'),
  );
}

export function failureTitle(record: CodegenRecord | undefined, reason: string): string {
  const what = record ? record.command.split('\n')[0]!.slice(0, 60) : reason.slice(0, 60);
  return `autocode codegen failed: ${what}`;
}

/** What the failure issue reports (the failure path adds the edge job id). */
export interface FailureReport {
  id: string;
  record?: CodegenRecord;
  reason: string;
  output?: string;
  decision?: Pick<Decision, 'allow' | 'deny' | 'warn'>;
  artifactUrl?: string;
  runUrl?: string;
}

export function failureBody(input: FailureReport): string {
  const { record } = input;
  const output = (input.output ?? '').slice(-20_000);
  return fit(
    [
      marker('failure', input.id),
      ...(record ? [`Requested-by: @${record.requester}`, '', '## Command', quote(record.command), ''] : []),
      '## What failed',
      input.reason,
      ...(record?.failure
        ? [
            '',
            `\`${record.failure.code}\`: ${record.failure.message}${record.failure.hint ? `\n\nHint: ${record.failure.hint}` : ''}`,
          ]
        : []),
      ...(input.decision && !input.decision.allow ? ['', '## Policy', policySection(input.decision)] : []),
      ...(record && record.checks.results.length ? ['', '## Checks', checksSection(record)] : []),
      ...(output ? ['', '## Failing output', fenced(output)] : []),
      '',
      ...(record
        ? [summaryTable(record, input.artifactUrl)]
        : [`Run: ${input.runUrl ?? '—'} · Artifacts: ${input.artifactUrl ?? '—'}`]),
      '',
      '_No pull request was opened. Rerun the command after fixing the cause._',
    ].join('\n'),
  );
}
