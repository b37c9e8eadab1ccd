/**
 * The tolerant applier: unified-diff hunks and search/replace blocks applied to file contents in memory.
 * Hunk headers are hints, not truths (offsets drift, counts are wrong); blocks are found exactly, then modulo
 * trailing whitespace, then modulo any whitespace (re-indenting the model's lines), and a hunk whose edge
 * context does not match is retried with that context trimmed (partial hunks). All edits of one reply apply
 * as a transaction: any error and nothing changes, and the errors are worded for the model to fix them.
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import { confinePath } from './paths.js';
import type { DiffEdit, Edit, Hunk, ReplaceEdit } from './parse.js';
import { fromLines, locateBlock, reindenter, toLines } from './match.js';
import type { BlockMatch } from './match.js';

/** New contents by path; `null` deletes the file. */
export type FileChanges = Map<string, string | null>;

export interface ApplyResult {
  changes: FileChanges;
  errors: string[];
  /** Paths refused by confinement (also listed in `errors`). */
  unsafe: string[];
}

/** Reads the current content of a repository file (undefined when it does not exist). */
export type ReadFile = (path: string) => string | undefined;

const preview = (lines: string[]) =>
  lines
    .slice(0, 6)
    .map((l) => `    ${l}`)
    .join('\n') + (lines.length > 6 ? `\n    … (${lines.length - 6} more lines)` : '');

class EditError extends Error {}

/**
 * Apply every edit in order (later edits see earlier ones). Never throws for a bad edit: see `errors`.
 * `checkPath` adds the tree's own refusals (symlink escapes) to the lexical confinement.
 */
export function applyEdits(read: ReadFile, edits: Edit[], checkPath?: (path: string) => void): ApplyResult {
  const changes: FileChanges = new Map();
  const errors: string[] = [];
  const unsafe: string[] = [];
  const current = (p: string) => (changes.has(p) ? (changes.get(p) ?? undefined) : read(p));
  for (const edit of edits) {
    let path: string;
    try {
      path = confinePath(edit.path);
      checkPath?.(path);
    } catch (err) {
      unsafe.push(edit.path);
      errors.push((err as AutocodeError).message);
      continue;
    }
    try {
      const next =
        edit.kind === 'diff' ? applyDiff(path, current(path), edit) : applyReplace(path, current(path), edit);
      changes.set(path, next);
    } catch (err) {
      if (!(err instanceof EditError)) throw err;
      errors.push(err.message);
    }
  }
  return { changes: errors.length ? new Map() : changes, errors, unsafe };
}

/** Apply one file's diff to its content (undefined = the file does not exist). */
export function applyDiff(path: string, content: string | undefined, edit: DiffEdit): string | null {
  if (edit.deleted) {
    if (content === undefined) throw new EditError(`${path}: cannot delete a file that does not exist`);
    return null;
  }
  if (content === undefined) {
    // A new file: every hunk line that is not a removal is content (a model often marks them " ").
    const lines = edit.hunks.flatMap((h) => h.lines.filter((l) => l.op !== '-').map((l) => l.text));
    if (!edit.newFile && edit.hunks.some((h) => h.lines.some((l) => l.op === '-'))) {
      throw new EditError(`${path}: the file does not exist, so lines cannot be removed from it`);
    }
    return fromLines(lines, true);
  }
  if (edit.newFile) {
    const wanted = edit.hunks.flatMap((h) => h.lines.filter((l) => l.op !== '-').map((l) => l.text));
    if (fromLines(wanted, true) === content) return content;
    throw new EditError(
      `${path}: the diff creates this file but it already exists; send a diff against its current content`,
    );
  }
  const { lines, eol } = toLines(content);
  let out = lines;
  let delta = 0;
  let from = 0;
  edit.hunks.forEach((hunk, n) => {
    const applied = applyHunk(out, hunk, delta, from, `${path}: hunk ${n + 1} of ${edit.hunks.length}`);
    out = applied.lines;
    delta = applied.delta;
    from = applied.next;
  });
  return fromLines(out, eol || lines.length === 0);
}

interface HunkApplied {
  lines: string[];
  delta: number;
  next: number;
}

function applyHunk(lines: string[], hunk: Hunk, delta: number, from: number, label: string): HunkApplied {
  const old = hunk.lines.filter((l) => l.op !== '+').map((l) => l.text);
  const hint = hunk.oldStart !== undefined ? Math.max(0, hunk.oldStart - 1 + delta) : from;
  if (old.length === 0) {
    // Pure insertion: "@@ -N,0 +M,k @@" inserts after old line N.
    const at = Math.min(
      Math.max(hunk.oldStart !== undefined ? hunk.oldStart + delta : lines.length, from),
      lines.length,
    );
    const added = hunk.lines.map((l) => l.text);
    return {
      lines: [...lines.slice(0, at), ...added, ...lines.slice(at)],
      delta: delta + added.length,
      next: at + added.length,
    };
  }
  const lead = hunk.lines.findIndex((l) => l.op !== ' ');
  if (lead < 0) return { lines, delta, next: from }; // context only: nothing to change
  const trail = [...hunk.lines].reverse().findIndex((l) => l.op !== ' ');
  // Trim up to all edge context, least first; keeping the changed lines is what matters.
  for (let trimmed = 0; trimmed <= lead + trail; trimmed++) {
    for (let a = Math.min(trimmed, lead); a >= 0 && trimmed - a <= trail; a--) {
      const body = hunk.lines.slice(a, hunk.lines.length - (trimmed - a));
      const needle = body.filter((l) => l.op !== '+').map((l) => l.text);
      if (needle.length === 0) continue;
      const result = locateBlock(lines, needle, hint + a, from);
      if ('ambiguous' in result) {
        if (trimmed === 0) {
          throw new EditError(`${label} matches ${result.ambiguous.length} places; add more context lines`);
        }
        continue;
      }
      if ('found' in result) return splice(lines, body, result.found, delta);
    }
  }
  throw new EditError(
    `${label} does not match the current file; these lines were not found:\n${preview(old)}`,
  );
}

function splice(lines: string[], body: Hunk['lines'], match: BlockMatch, delta: number): HunkApplied {
  const out: string[] = [];
  const pairs: [string, string][] = [];
  let k = match.index;
  for (const l of body) if (l.op !== '+') pairs.push([l.text, lines[k++]!]);
  const fix = match.strictness === 'exact' ? (l: string) => l : reindenter(pairs);
  k = match.index;
  for (const l of body) {
    if (l.op === '+') out.push(fix(l.text));
    else if (l.op === ' ')
      out.push(lines[k++]!); // the file's own line: no whitespace churn on context
    else k++;
  }
  const removed = k - match.index;
  return {
    lines: [...lines.slice(0, match.index), ...out, ...lines.slice(k)],
    delta: delta + out.length - removed,
    next: match.index + out.length,
  };
}

/** Apply one search/replace block. An empty SEARCH creates a file. */
export function applyReplace(path: string, content: string | undefined, edit: ReplaceEdit): string {
  if (!edit.search.trim()) {
    if (content === undefined) return edit.replace.endsWith('\n') ? edit.replace : `${edit.replace}\n`;
    throw new EditError(
      `${path}: an empty SEARCH creates a file, but ${path} exists; SEARCH for the lines to change`,
    );
  }
  if (content === undefined) {
    throw new EditError(`${path}: the file does not exist; to create it, leave the SEARCH section empty`);
  }
  const count = content.split(edit.search).length - 1;
  if (count === 1) return content.replace(edit.search, () => edit.replace);
  const { lines, eol } = toLines(content);
  const needle = toLines(edit.search).lines;
  const result = locateBlock(lines, needle, 0, 0, true);
  if ('ambiguous' in result || count > 1) {
    throw new EditError(`${path}: the SEARCH text matches several places; include more surrounding lines`);
  }
  if ('missing' in result) {
    throw new EditError(`${path}: the SEARCH text was not found in the current file:\n${preview(needle)}`);
  }
  const { index, strictness } = result.found;
  const fix =
    strictness === 'exact'
      ? (l: string) => l
      : reindenter(needle.map((l, i): [string, string] => [l, lines[index + i]!]));
  const replacement = toLines(edit.replace).lines.map(fix);
  return fromLines([...lines.slice(0, index), ...replacement, ...lines.slice(index + needle.length)], eol);
}

/** For callers that need a hard failure (the CLI's strict mode, tests). */
export function assertApplied(result: ApplyResult): FileChanges {
  if (result.errors.length) {
    throw new AutocodeError(
      result.unsafe.length ? ErrorCodes.UNSAFE_PATH : ErrorCodes.INVALID_INPUT,
      result.errors.join('\n'),
    );
  }
  return result.changes;
}
