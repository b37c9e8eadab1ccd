/**
 * The review pass: a second model call reads the final diff against the command, the check results and the
 * policy findings. Its verdict and concerns go into the PR body for the human reviewer; it never replaces
 * the checks or the policy gate, and an unreadable answer becomes a `comment` verdict rather than a failure.
 */
import type { ReviewVerdict } from './record.js';

export function parseReview(text: string, provider: string, model: string): ReviewVerdict {
  const verdict = /VERDICT:\s*\**\s*(approve|request_changes|comment)/i.exec(text)?.[1]?.toLowerCase() as
    ReviewVerdict['verdict'] | undefined;
  const concernsBlock = /CONCERNS:\s*\n([\s\S]*?)(?:\n\s*SUMMARY:|$)/i.exec(text)?.[1] ?? '';
  const concerns = concernsBlock
    .split('\n')
    .map((l) => l.replace(/^\s*[-*]\s*/, '').trim())
    .filter((l) => l && !/^none\.?$/i.test(l))
    .slice(0, 20);
  const summary = /SUMMARY:\s*([\s\S]*)$/i.exec(text)?.[1]?.trim() ?? (verdict ? '' : text.trim());
  return { verdict: verdict ?? 'comment', concerns, summary: summary.slice(0, 1000), provider, model };
}
