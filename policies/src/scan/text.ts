/** Helpers shared by the scanners: one joined text per file, offsets mapped back to new-file lines. */
import type { ScanTarget } from './types.js';

export interface JoinedTarget {
  text: string;
  /** Line number (new file) of the line containing `offset`. */
  lineAt(offset: number): number;
}

/** Joined once per target and shared by the scanners that run over the same targets. */
const joinedCache = new WeakMap<ScanTarget, JoinedTarget>();

export function joinTarget(target: ScanTarget): JoinedTarget {
  let joined = joinedCache.get(target);
  if (!joined) {
    joined = join(target);
    joinedCache.set(target, joined);
  }
  return joined;
}

function join(target: ScanTarget): JoinedTarget {
  const text = target.lines.join('\n');
  let starts: number[] | undefined;
  return {
    text,
    lineAt(offset) {
      // Built on first use: most files have no hit at all.
      if (!starts) {
        starts = [0];
        for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(i + 1);
      }
      let lo = 0;
      let hi = starts.length - 1;
      while (lo < hi) {
        const mid = (lo + hi + 1) >> 1;
        if (starts[mid]! <= offset) lo = mid;
        else hi = mid - 1;
      }
      return target.lineNumbers[lo] ?? lo + 1;
    },
  };
}

/** Shannon entropy in bits per character. */
export function shannonEntropy(s: string): number {
  const counts = new Map<string, number>();
  for (const c of s) counts.set(c, (counts.get(c) ?? 0) + 1);
  let h = 0;
  for (const n of counts.values()) {
    const p = n / s.length;
    h -= p * Math.log2(p);
  }
  return h;
}

const PLACEHOLDER =
  /example|sample|dummy|placeholder|your[_-]?(?:key|token|secret|password)|changeme|redacted|x{4}|\*{3}|\.{3}|[<>]/i;

/**
 * Documentation values, masks and fill-in-the-blank tokens are not secrets: `AKIA…EXAMPLE`,
 * `ghp_xxxxxxxx…`, `<your-token>`. Low character diversity catches masks of any letter.
 */
export function isPlaceholder(secret: string): boolean {
  if (PLACEHOLDER.test(secret)) return true;
  const body = secret.replace(/^[a-z]{2,8}[_-](?:[a-z0-9]{1,8}[_-])?/i, '');
  return body.length >= 8 && new Set(body).size <= 4;
}
