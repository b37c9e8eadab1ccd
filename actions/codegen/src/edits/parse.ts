/**
 * Reading edits out of a model's reply: unified diffs (fenced or bare) and search/replace blocks, tolerantly.
 * Models drop file headers, miscount hunk lines, lose the leading space of context lines and wrap paths in
 * backticks; the parser keeps what the model meant and leaves locating hunks to the appliers. Paths are
 * returned raw: confinement is the applier's job, so a hostile path becomes an error the model is told about.
 */

export interface HunkLine {
  op: ' ' | '-' | '+';
  text: string;
}

export interface Hunk {
  /** 1-based old start from the header, when it had one (a hint only: models drift). */
  oldStart?: number;
  lines: HunkLine[];
}

export interface DiffEdit {
  kind: 'diff';
  path: string;
  newFile: boolean;
  deleted: boolean;
  hunks: Hunk[];
}

export interface ReplaceEdit {
  kind: 'replace';
  path: string;
  search: string;
  replace: string;
}

export type Edit = DiffEdit | ReplaceEdit;

export interface ParseResult {
  edits: Edit[];
  /** Problems the model should hear about (a hunk with no file name, an unclosed block). */
  errors: string[];
}

const SEARCH = /^\s*<{5,9} ?SEARCH\s*$/;
const DIVIDER = /^\s*={5,9}\s*$/;
const REPLACE = /^\s*>{5,9} ?REPLACE\s*$/;
const FENCE = /^\s*(`{3,}|~{3,})(.*)$/;
const HUNK_HEADER = /^@@+\s*(?:-(\d+)(?:,\d+)?)?\s*(?:\+\d+(?:,\d+)?)?\s*@*/;

/** "`src/a.ts`:", "**src/a.ts**", "File: src/a.ts", "# src/a.ts" → "src/a.ts"; undefined if not path-like. */
export function pathFromLine(line: string): string | undefined {
  // Prose naming a file in backticks: "Change `src/a.ts` like this:".
  for (const m of line.matchAll(/`([^`\s]+)`/g)) {
    const inner = pathFromLine(m[1]!.replace(/`/g, ''));
    if (inner && line.trim() !== m[0]) return inner;
  }
  const cleaned = line
    .trim()
    .replace(/^(?:#+\s*|[-*]\s+)/, '')
    .replace(/^(?:file(?:name)?|path)\s*:\s*/i, '')
    .replace(/^[`*"']+|[`*"':]+$/g, '')
    .trim();
  if (!cleaned || /\s/.test(cleaned) || cleaned.length > 300) return undefined;
  // A path has a dot-extension or a slash (Makefile-like bare names are too ambiguous to guess).
  return /[/.]/.test(cleaned) && /^[\w./@+~-]+$/.test(cleaned) ? cleaned : undefined;
}

function stripPrefix(p: string): string {
  const path = p.split('\t')[0]!.trim();
  return /^[ab]\//.test(path) ? path.slice(2) : path;
}

/** Parse every edit in a reply. */
export function parseEdits(reply: string): ParseResult {
  const lines = reply.replace(/\r\n?/g, '\n').split('\n');
  const edits: Edit[] = [];
  const errors: string[] = [];
  let lastPath: string | undefined;
  let fenceInfoPath: string | undefined;
  let inFence = false;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const fence = FENCE.exec(line);
    if (fence) {
      inFence = !inFence;
      fenceInfoPath = inFence ? fence[2]!.trim().split(/\s+/).map(pathFromLine).find(Boolean) : undefined;
      if (fenceInfoPath) lastPath = fenceInfoPath;
      i++;
      continue;
    }
    if (SEARCH.test(line)) {
      i = readSearchReplace(lines, i, lastPath, edits, errors);
      continue;
    }
    if (line.startsWith('diff --git ') || line.startsWith('--- ') || HUNK_HEADER.test(line)) {
      const isHeader =
        line.startsWith('diff --git ') || (line.startsWith('--- ') && lines[i + 1]?.startsWith('+++ '));
      if (isHeader || HUNK_HEADER.test(line)) {
        i = readDiff(lines, i, fenceInfoPath ?? lastPath, edits, errors, inFence);
        continue;
      }
    }
    const p = pathFromLine(line);
    if (p) lastPath = p;
    i++;
  }
  return { edits, errors };
}

function readSearchReplace(
  lines: string[],
  start: number,
  path: string | undefined,
  edits: Edit[],
  errors: string[],
): number {
  const search: string[] = [];
  const replace: string[] = [];
  let i = start + 1;
  let target = search;
  for (; i < lines.length; i++) {
    const l = lines[i]!;
    if (target === search && DIVIDER.test(l)) {
      target = replace;
      continue;
    }
    if (target === replace && REPLACE.test(l)) break;
    target.push(l);
  }
  if (i >= lines.length) {
    errors.push(`a SEARCH block starting at line ${start + 1} is not closed with ">>>>>>> REPLACE"`);
    return i;
  }
  if (!path) {
    errors.push(`the SEARCH/REPLACE block at line ${start + 1} has no file path on the line before it`);
  } else {
    edits.push({ kind: 'replace', path, search: search.join('\n'), replace: replace.join('\n') });
  }
  return i + 1;
}

function readDiff(
  lines: string[],
  start: number,
  fallbackPath: string | undefined,
  edits: Edit[],
  errors: string[],
  inFence: boolean,
): number {
  let i = start;
  let oldPath: string | undefined;
  let newPath: string | undefined;
  let newFile = false;
  let deleted = false;
  if (lines[i]!.startsWith('diff --git ')) {
    const m = /^diff --git (\S+) (\S+)/.exec(lines[i]!);
    if (m) newPath = stripPrefix(m[2]!);
    i++;
    while (
      i < lines.length &&
      /^(?:old|new|deleted|similarity|rename|copy|index|dissimilarity)/.test(lines[i]!)
    ) {
      if (lines[i]!.startsWith('new file mode')) newFile = true;
      if (lines[i]!.startsWith('deleted file mode')) deleted = true;
      i++;
    }
  }
  if (lines[i]?.startsWith('--- ')) {
    oldPath = stripPrefix(lines[i]!.slice(4));
    i++;
    if (lines[i]?.startsWith('+++ ')) {
      newPath = stripPrefix(lines[i]!.slice(4));
      i++;
    }
  }
  if (oldPath === '/dev/null') newFile = true;
  if (newPath === '/dev/null') deleted = true;
  const path = (deleted ? oldPath : newPath) ?? newPath ?? oldPath ?? fallbackPath;
  const hunks: Hunk[] = [];
  while (i < lines.length) {
    const l = lines[i]!;
    if (
      FENCE.test(l) ||
      l.startsWith('diff --git ') ||
      (l.startsWith('--- ') && lines[i + 1]?.startsWith('+++ '))
    ) {
      break;
    }
    const header = HUNK_HEADER.exec(l);
    if (header && l.startsWith('@@')) {
      hunks.push({ ...(header[1] ? { oldStart: Number(header[1]) } : {}), lines: [] });
      i++;
      continue;
    }
    const hunk = hunks[hunks.length - 1];
    if (!hunk) break;
    if (l.startsWith('\\')) {
      i++; // "\ No newline at end of file": the applier keeps the file's own final newline
      continue;
    }
    const op = l[0];
    if (op === '+' || op === '-' || op === ' ') hunk.lines.push({ op, text: l.slice(1) });
    else if (l === '') {
      // Outside a fence a blank line may end the diff (prose follows); inside, it is a context line whose
      // leading space was stripped.
      if (!inFence && !/^[ +\-@\\]/.test(lines[i + 1] ?? '')) break;
      hunk.lines.push({ op: ' ', text: '' });
    } else if (inFence)
      hunk.lines.push({ op: ' ', text: l }); // lost the leading space of a context line
    else break;
    i++;
  }
  // Trailing blank context lines are usually fence padding, not file content.
  for (const h of hunks) {
    while (
      h.lines.length &&
      h.lines[h.lines.length - 1]!.op === ' ' &&
      h.lines[h.lines.length - 1]!.text === ''
    ) {
      h.lines.pop();
    }
  }
  if (!path) {
    errors.push(`a diff at line ${start + 1} names no file: add "--- a/<path>" and "+++ b/<path>" headers`);
  } else if (hunks.length === 0 && !deleted) {
    errors.push(`the diff for ${path} has no hunks (@@ … @@ followed by lines)`);
  } else {
    edits.push({ kind: 'diff', path, newFile, deleted, hunks });
  }
  return Math.max(i, start + 1);
}
