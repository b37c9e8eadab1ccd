/**
 * Run several scanners over the same targets and merge their findings: placeholders dropped, one finding
 * per secret per line, a format match preferred over an entropy-only hit on the same value.
 */
import { isPlaceholder } from './text.js';
import type { RawFinding, ScanTarget, SecretScanner } from './types.js';

export function combineScanners(...scanners: SecretScanner[]): SecretScanner {
  return {
    async scan(targets: ScanTarget[]): Promise<RawFinding[]> {
      const all = (await Promise.all(scanners.map((s) => s.scan(targets)))).flat();
      return dedupe(all.filter((f) => !isPlaceholder(f.secret)));
    },
  };
}

function dedupe(findings: RawFinding[]): RawFinding[] {
  const byLine = new Map<string, RawFinding[]>();
  // Secrets first, so an entropy hit overlapping a known format on the same line is dropped.
  const ordered = [...findings].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'secret' ? -1 : 1));
  for (const f of ordered) {
    const key = `${f.path}\n${f.line}`;
    const kept = byLine.get(key) ?? [];
    if (kept.some((k) => k.secret.includes(f.secret) || f.secret.includes(k.secret))) continue;
    kept.push(f);
    byLine.set(key, kept);
  }
  return [...byLine.values()].flat();
}
