/** The run summary (one table row per target, plus the dry-run plan details) and the action outputs. */
import type { Reporter } from '@autocode/toolkit';
import type { FleetResult } from './fleet.js';
import type { TargetResult } from './result.js';

const ICON: Record<TargetResult['status'], string> = {
  created: '🆕',
  updated: '🔁',
  'branch-updated': '🔁',
  unchanged: '✅',
  closed: '✅',
  blocked: '⛔',
  declined: '🚫',
  conflict: '⚠️',
  deferred: '⏳',
  failed: '❌',
  planned: '📝',
};

export function summaryRows(result: FleetResult): string[][] {
  return result.targets.map((t) => [
    t.repo,
    `${ICON[t.status]} ${t.status}`,
    String(t.plan?.added.length ?? ''),
    String(t.plan?.modified.length ?? ''),
    String(t.plan?.deleted.length ?? ''),
    String(t.plan?.conflicts.length ?? ''),
    t.plan?.prAction ?? '',
    t.pr ? `[#${t.pr.number}](${t.pr.url})` : '',
    [
      t.message,
      t.autoMerge ? `auto-merge ${t.autoMerge}` : '',
      t.issue ? `conflicts: [#${t.issue.number}](${t.issue.url})` : '',
    ]
      .filter(Boolean)
      .join('; '),
  ]);
}

export function reportFleet(reporter: Reporter, result: FleetResult, title: string): void {
  reporter.table(
    `${title} — ${result.source}@${result.sourceSha.slice(0, 7)}${result.dryRun ? ' (dry run: nothing written)' : ''}`,
    ['Target', 'Status', 'Added', 'Modified', 'Deleted', 'Conflicts', 'PR action', 'PR', 'Notes'],
    summaryRows(result),
  );
  for (const t of result.targets) {
    if (t.status === 'failed' || t.status === 'conflict')
      reporter.annotate({ level: 'error', title: t.repo, message: t.message });
    else if (t.status === 'blocked' || t.status === 'deferred' || t.status === 'declined')
      reporter.annotate({ level: 'warning', title: t.repo, message: t.message });
    if (result.dryRun && t.plan) reporter.markdown(planDetails(t));
  }
  reporter.markdown(`Content-creating requests: ${result.writes}.`);
}

function planDetails(t: TargetResult): string {
  const p = t.plan!;
  const list = (label: string, items: string[]) =>
    items.length ? `**${label}:** ${items.map((x) => `\`${x}\``).join(', ')}\n\n` : '';
  return (
    `<details><summary>${t.repo}: ${t.message}</summary>\n\n` +
    list('Added', p.added) +
    list('Modified', p.modified) +
    list('Deleted', p.deleted) +
    list(
      'Conflicts',
      p.conflicts.map((c) => `${c.path} (${c.kind}, ${c.resolution})`),
    ) +
    `</details>\n`
  );
}

/** Machine-readable outputs (JSON); `ok` is false when any target failed. */
export function fleetOutputs(result: FleetResult): Record<string, string> {
  return {
    result: JSON.stringify(result),
    ok: String(result.ok),
    statuses: JSON.stringify(Object.fromEntries(result.targets.map((t) => [t.repo, t.status]))),
    'pull-requests': JSON.stringify(result.targets.filter((t) => t.pr).map((t) => t.pr!.url)),
    writes: String(result.writes),
  };
}
