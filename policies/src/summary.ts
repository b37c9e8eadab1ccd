/** Render a decision for people: rule table rows (action job summary) and plain text (CLI). */
import type { Decision, Violation } from './types.js';

const ICON: Record<string, string> = { pass: '✅ pass', warn: '⚠️ warn', deny: '❌ deny', skip: '➖ skip' };

export function where(v: Violation): string {
  if (!v.path) return '';
  return v.line ? `${v.path}:${v.line}: ` : `${v.path}: `;
}

/** One row per rule: id, title, outcome, and its deny/warn messages. */
export function decisionRows(decision: Decision): string[][] {
  const messages = (id: string) =>
    [...decision.deny, ...decision.warn]
      .filter((v) => v.rule === id)
      .map((v) => `${where(v)}${v.message}`)
      .join('\n');
  return decision.rules.map((r) => [r.id, r.title, ICON[r.outcome] ?? r.outcome, messages(r.id)]);
}

export function formatDecision(decision: Decision): string {
  const verdict = decision.allow ? (decision.warn.length ? 'allow (with warnings)' : 'allow') : 'deny';
  const lines = [`decision: ${verdict}`];
  for (const v of decision.deny) lines.push(`  deny  [${v.rule}] ${where(v)}${v.message}`);
  for (const v of decision.warn) lines.push(`  warn  [${v.rule}] ${where(v)}${v.message}`);
  const outcomes = decision.rules.map((r) => `${r.id}=${r.outcome}`).join(' ');
  lines.push(`rules: ${outcomes}`);
  return lines.join('\n');
}
