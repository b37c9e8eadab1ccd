/**
 * Text the sync writes into targets: commit messages with provenance trailers, PR title/body with a machine
 * marker (the commit and tree the PR head should hold, so a rerun recognises its own branch without another
 * request), and the conflict issue. Deterministic: the same plan yields the same text, so reruns write nothing.
 */
import type { Conflict, FileChange } from './types.js';

export const CONFLICT_LABEL = 'autocode:sync-conflict';
const MAX_LISTED = 100;

export interface PrMarker {
  source: string;
  source_sha: string;
  commit: string;
  tree: string;
  /** Conflicts the run that wrote this PR found (so a later run knows to look for the issue to close). */
  conflicts?: number;
}

export function commitMessage(p: {
  source: string;
  sourceSha: string;
  changes: FileChange[];
  runUrl?: string;
  subject?: string;
  trailer?: string;
}): string {
  const count = (a: FileChange['action']) => p.changes.filter((c) => c.action === a).length;
  const subject = p.subject ?? `sync: update from ${p.source}@${p.sourceSha.slice(0, 7)}`;
  const summary = `${count('add')} added, ${count('modify')} modified, ${count('delete')} deleted.`;
  const trailers = [
    `${p.trailer ?? 'Synced-From'}: ${p.source}@${p.sourceSha}`,
    ...(p.runUrl ? [`Sync-Run: ${p.runUrl}`] : []),
  ];
  return `${subject}\n\n${summary}\n\n${trailers.join('\n')}\n`;
}

/** Whether a commit message carries this source's provenance trailer (our own commit). */
export function isSyncCommitMessage(message: string, source: string): boolean {
  return new RegExp(`^(Synced-From|Rollback-Of): ${escape(source)}@[0-9a-f]{7,64}$`, 'mi').test(message);
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const MARKER = /<!-- autocode-sync (\{[^\n]*?\}) -->/;

export function parseMarker(body: string): PrMarker | undefined {
  const m = MARKER.exec(body);
  if (!m) return undefined;
  try {
    const v = JSON.parse(m[1]!) as PrMarker;
    return typeof v.commit === 'string' && typeof v.tree === 'string' ? v : undefined;
  } catch {
    return undefined;
  }
}

function list(title: string, paths: string[]): string {
  if (paths.length === 0) return '';
  const shown = paths.slice(0, MAX_LISTED).map((p) => `- \`${p}\``);
  if (paths.length > MAX_LISTED) shown.push(`- … and ${paths.length - MAX_LISTED} more`);
  return `<details><summary>${title} (${paths.length})</summary>\n\n${shown.join('\n')}\n\n</details>\n`;
}

export function pullTitle(source: string, rollback = false): string {
  return rollback ? `Roll back sync from ${source}` : `Sync from ${source}`;
}

export function pullBody(p: {
  source: string;
  sourceSha: string;
  changes: FileChange[];
  conflicts: Conflict[];
  marker: PrMarker;
  intro?: string;
}): string {
  const by = (a: FileChange['action']) => p.changes.filter((c) => c.action === a).map((c) => c.path);
  const kept = p.conflicts.filter((c) => c.resolution === 'kept').map((c) => `${c.path} (${c.kind})`);
  const over = p.conflicts.filter((c) => c.resolution === 'overwritten').map((c) => `${c.path} (${c.kind})`);
  return [
    p.intro ??
      `Synced from **${p.source}** at \`${p.sourceSha}\` by autocode: one Verified commit written by the App.`,
    '',
    list('Added', by('add')) + list('Modified', by('modify')) + list('Deleted', by('delete')),
    kept.length ? `**Edited in this repository, left as they are:**\n\n${list('Kept', kept)}` : '',
    over.length
      ? `**Edited in this repository, overwritten (on_conflict: overwrite):**\n\n${list('Overwritten', over)}`
      : '',
    'Do not push to this branch: the next sync stops for this repository until the pushed commits are merged or dropped.',
    '',
    `<!-- autocode-sync ${JSON.stringify(p.marker)} -->`,
  ]
    .filter((s, i, a) => s !== '' || a[i - 1] !== '')
    .join('\n');
}

export function conflictMarker(source: string): string {
  return `<!-- autocode-sync-conflicts source=${source} -->`;
}

export function conflictIssue(
  source: string,
  sourceSha: string,
  conflicts: Conflict[],
): { title: string; body: string } {
  const rows = conflicts
    .slice(0, MAX_LISTED)
    .map((c) => `| \`${c.path}\` | ${describeKind(c.kind)} | ${c.resolution} |`);
  if (conflicts.length > MAX_LISTED) rows.push(`| … ${conflicts.length - MAX_LISTED} more | | |`);
  return {
    title: `Sync from ${source}: ${conflicts.length} file(s) edited here`,
    body: [
      `The sync from **${source}** (at \`${sourceSha}\`) found files in this repository that people changed since the last sync.`,
      '',
      '| Path | What happened | Resolution |',
      '| --- | --- | --- |',
      ...rows,
      '',
      'To resolve: bring the change upstream into the source repository, or restore the synced version here. ' +
        'autocode updates this issue while conflicts remain and closes it once they are gone.',
      '',
      conflictMarker(source),
    ].join('\n'),
  };
}

export function describeKind(kind: Conflict['kind']): string {
  switch (kind) {
    case 'edited-in-target':
      return 'edited here since the last sync';
    case 'deleted-in-target':
      return 'deleted here since the last sync';
    case 'untracked-in-target':
      return 'exists here but was never synced';
    case 'edited-deleted-at-source':
      return 'deleted at the source, edited here';
    case 'path-blocked':
      return 'a file, directory or submodule here is in the way';
  }
}
