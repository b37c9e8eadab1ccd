/**
 * Parse GitHub's per-file `patch` (unified-diff hunks without file headers) into numbered lines. Written here
 * rather than taken from a diff library: the viewer needs only hunks, and this keeps the PR chunk a few KB.
 */
export interface DiffLine {
  kind: 'add' | 'del' | 'ctx' | 'hunk' | 'note';
  text: string;
  oldNo?: number;
  newNo?: number;
}

const HUNK = /^@@ -(\d+)(?:,\d+)? \+(\d+)(?:,\d+)? @@(.*)$/;

export function parsePatch(patch: string): DiffLine[] {
  const out: DiffLine[] = [];
  let oldNo = 0;
  let newNo = 0;
  for (const line of patch.split('\n')) {
    const h = HUNK.exec(line);
    if (h) {
      oldNo = Number(h[1]);
      newNo = Number(h[2]);
      out.push({ kind: 'hunk', text: line });
    } else if (line.startsWith('\\')) {
      out.push({ kind: 'note', text: line.slice(1).trim() });
    } else if (line.startsWith('+')) {
      out.push({ kind: 'add', text: line.slice(1), newNo: newNo++ });
    } else if (line.startsWith('-')) {
      out.push({ kind: 'del', text: line.slice(1), oldNo: oldNo++ });
    } else if (out.length > 0) {
      // Context (' ' prefix); a bare empty string inside a hunk is an empty context line.
      out.push({ kind: 'ctx', text: line.slice(1), oldNo: oldNo++, newNo: newNo++ });
    }
  }
  // A trailing newline in the patch produces one phantom empty context line.
  const last = out[out.length - 1];
  if (last?.kind === 'ctx' && last.text === '' && patch.endsWith('\n')) out.pop();
  return out;
}
