/**
 * Locating a block of lines in a file the way a careful human would: exactly first, then ignoring trailing
 * whitespace, then ignoring all whitespace differences; the match nearest the hinted line wins, and a block
 * that matches in several equally near places is ambiguous rather than guessed.
 */

export type Strictness = 'exact' | 'trailing-ws' | 'any-ws';

const NORMALISERS: Record<Strictness, (s: string) => string> = {
  exact: (s) => s,
  'trailing-ws': (s) => s.replace(/\s+$/, ''),
  'any-ws': (s) => s.replace(/\s+/g, ' ').trim(),
};

export interface BlockMatch {
  /** 0-based index of the first matched file line. */
  index: number;
  strictness: Strictness;
}

export type LocateResult = { found: BlockMatch } | { ambiguous: number[] } | { missing: true };

/**
 * Find `needle` (non-empty) in `lines`. `hint` is the 0-based line where it is expected; `from` the first
 * index allowed (hunks apply top to bottom, so a later hunk may not match above an earlier one). With
 * `unique`, any second hit is ambiguous (search/replace blocks carry no position to prefer one by).
 */
export function locateBlock(
  lines: string[],
  needle: string[],
  hint: number,
  from = 0,
  unique = false,
): LocateResult {
  for (const strictness of ['exact', 'trailing-ws', 'any-ws'] as const) {
    const norm = NORMALISERS[strictness];
    const want = needle.map(norm);
    const hits: number[] = [];
    for (let i = from; i + want.length <= lines.length; i++) {
      let ok = true;
      for (let j = 0; j < want.length; j++) {
        if (norm(lines[i + j]!) !== want[j]) {
          ok = false;
          break;
        }
      }
      if (ok) hits.push(i);
    }
    if (hits.length === 0) continue;
    const distance = (i: number) => Math.abs(i - hint);
    hits.sort((a, b) => distance(a) - distance(b));
    // Two hits equally near the hint cannot be told apart.
    if (hits.length > 1 && (unique || distance(hits[0]!) === distance(hits[1]!))) return { ambiguous: hits };
    return { found: { index: hits[0]!, strictness } };
  }
  return { missing: true };
}

const indentOf = (s: string) => /^[ \t]*/.exec(s)![0];

/**
 * When a block matched only modulo whitespace, the model's indentation is usually shifted (two spaces for
 * four, tabs for spaces). From every matched pair (model line, file line) learn indent mappings, and re-indent
 * each new line by the mapping whose model indent is the longest prefix of its own, so inserted code lands at
 * the file's indentation.
 */
export function reindenter(pairs: [model: string, file: string][]): (line: string) => string {
  const maps = new Map<string, string>();
  for (const [m, f] of pairs) {
    if (!m.trim() || !f.trim()) continue;
    const from = indentOf(m);
    if (!maps.has(from)) maps.set(from, indentOf(f));
  }
  const ordered = [...maps].sort((a, b) => b[0].length - a[0].length);
  return (line) => {
    if (!line.trim()) return line;
    const indent = indentOf(line);
    const hit = ordered.find(([from]) => indent.startsWith(from));
    return hit ? hit[1] + line.slice(hit[0].length) : line;
  };
}

/** Split text into lines, remembering whether it ended with a newline. */
export function toLines(text: string): { lines: string[]; eol: boolean } {
  if (text === '') return { lines: [], eol: false };
  const eol = text.endsWith('\n');
  const lines = (eol ? text.slice(0, -1) : text).split('\n');
  return { lines, eol };
}

export function fromLines(lines: string[], eol: boolean): string {
  if (lines.length === 0) return '';
  return lines.join('\n') + (eol ? '\n' : '');
}
