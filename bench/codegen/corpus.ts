/**
 * A corpus of messy model edits, generated deterministically (seeded PRNG): realistic source files, an intended
 * change per case, its clean unified diff, and the same diff damaged the way model output is damaged —
 * drifted hunk offsets, wrong whitespace (context re-indented, trailing spaces, a uniformly shifted indent),
 * missing file headers (path only in the fence or the prose), partial hunks (wrong counts, context cut short,
 * the leading space of blank context lines lost), and combinations. Success = the file equals the intended one.
 */
import { structuredPatch } from 'diff';
import { prng } from '@autocode/policies/testing';

export type Mess =
  'clean' | 'drift' | 'whitespace' | 'indent-shift' | 'no-headers' | 'partial' | 'blank-context' | 'combined';

export interface Case {
  id: string;
  mess: Mess;
  path: string;
  base: string;
  intended: string;
  /** The model's whole reply (prose + fenced diff). */
  reply: string;
  /** Just the diff text inside the fence, as `git apply` would be given it. */
  diff: string;
}

/** The policy corpus's seeded PRNG (mulberry32): the same generator, so both corpora are reproducible alike. */
export const rng = prng;

const NOUNS = [
  'user',
  'order',
  'invoice',
  'session',
  'token',
  'account',
  'report',
  'payment',
  'item',
  'cart',
];
const VERBS = ['load', 'save', 'find', 'update', 'remove', 'validate', 'format', 'parse', 'list', 'count'];

function sourceFile(r: () => number): string {
  const pick = <T>(xs: T[]) => xs[Math.floor(r() * xs.length)]!;
  const lines = ["import { db } from './db.js';", "import { log } from './log.js';", ''];
  const fns = 12 + Math.floor(r() * 20);
  for (let f = 0; f < fns; f++) {
    const name = `${pick(VERBS)}${pick(NOUNS)[0]!.toUpperCase()}${pick(NOUNS).slice(1)}${f}`;
    lines.push(
      `/** ${name}: part of the ${pick(NOUNS)} service. */`,
      `export async function ${name}(id: string) {`,
    );
    const body = 2 + Math.floor(r() * 6);
    for (let b = 0; b < body; b++) {
      // Repeated lines make naive matching ambiguous, as real code does.
      lines.push(
        r() < 0.3
          ? '  if (!id) return null;'
          : `  const v${b} = await db.${pick(VERBS)}('${pick(NOUNS)}', id);`,
      );
    }
    lines.push(r() < 0.5 ? '  return null;' : `  return v0;`, '}', '');
  }
  return lines.join('\n');
}

function change(base: string, r: () => number): string {
  const lines = base.split('\n');
  const edits = 1 + Math.floor(r() * 3);
  for (let e = 0; e < edits; e++) {
    const i = 3 + Math.floor(r() * (lines.length - 6));
    const kind = r();
    if (kind < 0.4) lines[i] = `  log('${i}'); // changed`;
    else if (kind < 0.8) lines.splice(i, 0, `  log('inserted ${i}');`, `  if (id === '${i}') return null;`);
    else lines.splice(i, 1);
  }
  return lines.join('\n');
}

function cleanDiff(path: string, base: string, intended: string): string {
  const p = structuredPatch(`a/${path}`, `b/${path}`, base, intended, undefined, undefined, { context: 3 });
  const out = [`diff --git a/${path} b/${path}`, `--- a/${path}`, `+++ b/${path}`];
  for (const h of p.hunks)
    out.push(`@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, ...h.lines);
  return `${out.join('\n')}\n`;
}

type Damage = (diff: string, r: () => number) => string;

const drift: Damage = (d, r) =>
  d.replace(/^@@ -(\d+),(\d+) \+(\d+),(\d+) @@/gm, (_m, a, b, c, e) => {
    const shift = (r() < 0.5 ? -1 : 1) * (3 + Math.floor(r() * 40));
    return `@@ -${Math.max(1, Number(a) + shift)},${b} +${Math.max(1, Number(c) + shift)},${e} @@`;
  });
const whitespace: Damage = (d, r) =>
  d
    .split('\n')
    .map((l) =>
      l.startsWith(' ') && l.trim() && r() < 0.6
        ? r() < 0.5
          ? ` ${l.slice(1).replace(/^ {2}/, '    ')}`
          : `${l}  `
        : l,
    )
    .join('\n');
const indentShift: Damage = (d) =>
  d
    .split('\n')
    .map((l) => (/^[ +-] {2}/.test(l) && !/^(\+\+\+|---) /.test(l) ? `${l[0]}    ${l.slice(3)}` : l))
    .join('\n');
const noHeaders: Damage = (d) =>
  d
    .split('\n')
    .filter((l) => !/^(diff --git|--- |\+\+\+ )/.test(l))
    .join('\n');
const partial: Damage = (d, r) =>
  d
    .replace(
      /^@@ -(\d+),(\d+) \+(\d+),(\d+) @@/gm,
      (_m, a, b, c, e) => `@@ -${a},${Number(b) + 2} +${c},${Number(e) + 1} @@`,
    )
    .split('\n')
    .filter(
      (l, i, all) =>
        !(l.startsWith(' ') && (all[i + 1]?.startsWith('@@') || i === all.length - 2) && r() < 0.7),
    )
    .join('\n');
const blankContext: Damage = (d) =>
  d
    .split('\n')
    .map((l) => (l === ' ' ? '' : l))
    .join('\n');

const DAMAGE: Record<Exclude<Mess, 'clean' | 'combined'>, Damage> = {
  drift,
  whitespace,
  'indent-shift': indentShift,
  'no-headers': noHeaders,
  partial,
  'blank-context': blankContext,
};

export const MESSES: Mess[] = [
  'clean',
  'drift',
  'whitespace',
  'indent-shift',
  'no-headers',
  'partial',
  'blank-context',
  'combined',
];

export function buildCorpus(perMess = 15, seed = 2026): Case[] {
  const r = rng(seed);
  const cases: Case[] = [];
  for (const mess of MESSES) {
    for (let n = 0; n < perMess; n++) {
      const path = `src/${NOUNS[n % NOUNS.length]}-service.ts`;
      const base = sourceFile(r);
      const intended = change(base, r);
      let diff = cleanDiff(path, base, intended);
      if (mess === 'combined') {
        for (const d of [drift, whitespace, noHeaders, blankContext]) diff = d(diff, r);
      } else if (mess !== 'clean') diff = DAMAGE[mess](diff, r);
      // The path always appears in the prose, as a model writes it; only headers may be missing.
      const reply = `Here is the change to \`${path}\`:\n\n\`\`\`diff\n${diff.trimEnd()}\n\`\`\`\n`;
      cases.push({ id: `${mess}-${n}`, mess, path, base, intended, reply, diff });
    }
  }
  return cases;
}
