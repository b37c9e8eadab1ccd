/**
 * Facts extraction: parsed diff files → the slim `change` part of the policy input. Added lines only: markers
 * and secrets on removed or context lines are none of the new change's business. Web APIs only.
 */
import type { DiffFile } from './diff.js';
import { parseUnifiedDiff } from './diff.js';
import { fingerprint } from './scan/fingerprint.js';
import type { SecretScanner } from './scan/types.js';
import type { ChangeFacts, FileFact, MarkerFact, Origin, SecretFinding } from './types.js';

/** The default `todo_markers.markers` (keep in step with rego/lib.rego; a test checks it). */
export const DEFAULT_MARKERS = ['TODO', 'FIXME', 'XXX'];

/** Markers and findings kept in the input (the first ones); the rest are counted in `omitted`. */
export const MAX_ITEMS = 100;

export interface ChangeOptions {
  origin?: Origin;
  author?: string;
  requester?: string | null;
  head_sha?: string;
  /** Marker words to report on added lines (the policy config's `todo_markers.markers`). */
  markers?: string[];
  /** Omit to skip secret scanning (the `no-secrets` rule then has nothing to deny). */
  scanner?: SecretScanner;
  maxItems?: number;
}

/** Parse a unified diff and build change facts; malformed diffs throw INVALID_INPUT naming the line. */
export function changeFromDiff(
  diff: string,
  options: ChangeOptions & { source?: string } = {},
): Promise<ChangeFacts> {
  return changeFromFiles(parseUnifiedDiff(diff, options.source), options);
}

export async function changeFromFiles(files: DiffFile[], options: ChangeOptions = {}): Promise<ChangeFacts> {
  const maxItems = options.maxItems ?? MAX_ITEMS;
  const markers = findMarkers(files, options.markers ?? DEFAULT_MARKERS);
  const raw = options.scanner
    ? await options.scanner.scan(
        files
          .filter((f) => !f.binary && f.added.length > 0)
          .map((f) => ({ path: f.path, lines: f.added, lineNumbers: f.addedLines })),
      )
    : [];
  raw.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line));
  const findings: SecretFinding[] = await Promise.all(
    raw
      .slice(0, maxItems)
      .map(async ({ secret, ...f }) => ({ ...f, fingerprint: await fingerprint(secret) })),
  );
  const facts: ChangeFacts = {
    origin: options.origin ?? 'human',
    ...(options.author ? { author: options.author } : {}),
    ...(options.requester ? { requester: options.requester } : {}),
    ...(options.head_sha ? { head_sha: options.head_sha } : {}),
    files: files.map(fileFact),
    totals: {
      files: files.length,
      additions: sum(files, (f) => f.additions),
      deletions: sum(files, (f) => f.deletions),
      bytes: sum(files, (f) => f.bytes),
    },
    markers: markers.slice(0, maxItems),
    findings,
  };
  if (markers.length > maxItems || raw.length > maxItems) {
    facts.omitted = {
      markers: Math.max(0, markers.length - maxItems),
      findings: Math.max(0, raw.length - maxItems),
    };
  }
  return facts;
}

function fileFact(f: DiffFile): FileFact {
  return {
    path: f.path,
    ...(f.previous_path ? { previous_path: f.previous_path } : {}),
    status: f.status,
    binary: f.binary,
    additions: f.additions,
    deletions: f.deletions,
  };
}

/** The first configured marker word on each added line, as a whole word (`TODOS`, `xxxLarge` don't count). */
export function findMarkers(files: DiffFile[], words: string[]): MarkerFact[] {
  if (words.length === 0) return [];
  const escaped = words.map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const re = new RegExp(`(?<![A-Za-z0-9_])(${escaped.join('|')})(?![A-Za-z0-9_])`);
  const found: MarkerFact[] = [];
  for (const f of files) {
    f.added.forEach((text, i) => {
      const m = re.exec(text);
      if (m) found.push({ path: f.path, line: f.addedLines[i]!, marker: m[1]! });
    });
  }
  return found;
}

function sum(files: DiffFile[], pick: (f: DiffFile) => number): number {
  return files.reduce((n, f) => n + pick(f), 0);
}
