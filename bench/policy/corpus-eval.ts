/**
 * Recall and precision on the labelled corpus (policies/src/testing/corpus.ts), autocode's scanner vs gitleaks
 * on the same files. An item counts as flagged when a scanner reports anything in it. Values are never printed:
 * misses and false positives are listed by corpus id and kind.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SecretScanner } from '@autocode/policies';
import type { CorpusItem } from '@autocode/policies/testing';
import { gitleaks } from './gitleaks.js';

export interface Score {
  scanner: string;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  recall: number;
  precision: number;
  misses: string[];
  falsePositives: string[];
}

function score(scanner: string, items: CorpusItem[], flagged: Set<string>): Score {
  const pos = items.filter((i) => i.label === 'secret');
  const neg = items.filter((i) => i.label === 'clean');
  const tp = pos.filter((i) => flagged.has(i.id)).length;
  const fp = neg.filter((i) => flagged.has(i.id)).length;
  return {
    scanner,
    tp,
    fp,
    fn: pos.length - tp,
    tn: neg.length - fp,
    recall: tp / pos.length,
    precision: tp + fp === 0 ? 1 : tp / (tp + fp),
    misses: pos.filter((i) => !flagged.has(i.id)).map((i) => `${i.id} ${i.kind} (${i.file})`),
    falsePositives: neg.filter((i) => flagged.has(i.id)).map((i) => `${i.id} ${i.kind} (${i.file})`),
  };
}

export async function evaluateCorpus(
  items: CorpusItem[],
  scanner: SecretScanner,
  gitleaksBin: string | undefined,
): Promise<Score[]> {
  const any = new Set<string>();
  const deny = new Set<string>();
  for (const item of items) {
    const lines = item.content.replace(/\n$/, '').split('\n');
    const found = await scanner.scan([{ path: item.file, lines, lineNumbers: lines.map((_, i) => i + 1) }]);
    if (found.length) any.add(item.id);
    if (found.some((x) => x.kind === 'secret')) deny.add(item.id);
  }
  const scores = [
    score('autocode (any finding)', items, any),
    score('autocode (deny-level only)', items, deny),
  ];
  if (gitleaksBin) {
    // One file per item, in a directory named by its id, so gitleaks' findings map back to items.
    const dir = mkdtempSync(join(tmpdir(), 'policy-corpus-'));
    try {
      for (const item of items) {
        mkdirSync(join(dir, item.id));
        writeFileSync(join(dir, item.id, item.file), item.content);
      }
      const flagged = new Set(
        gitleaks(gitleaksBin, { dir }).map((f) => f.File.slice(dir.length + 1).split('/')[0]!),
      );
      scores.push(score('gitleaks (default rules)', items, flagged));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }
  return scores;
}
