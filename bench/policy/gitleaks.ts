/** gitleaks (the anchor scanner) through its CLI: a directory scan or stdin, findings from its JSON report. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GitleaksFinding {
  RuleID: string;
  File: string;
  StartLine: number;
}

export function gitleaksBin(root: string): string | undefined {
  const bin = join(root, '.tools/bin/gitleaks');
  return existsSync(bin) ? bin : undefined;
}

/** `go install` builds report no version; the pin in tools.json is what setup installed. */
export function gitleaksVersion(root: string): string {
  const tools = JSON.parse(readFileSync(join(root, 'tools.json'), 'utf8')) as {
    go: Record<string, { version: string }>;
  };
  return tools.go.gitleaks?.version ?? 'unknown';
}

/** Run gitleaks with its default rules; `stdin` is scanned when given, else `target` as a directory. */
export function gitleaks(bin: string, target: { dir: string } | { stdin: string }): GitleaksFinding[] {
  const out = mkdtempSync(join(tmpdir(), 'gitleaks-'));
  const report = join(out, 'report.json');
  try {
    const common = [
      '--report-format',
      'json',
      '--report-path',
      report,
      '--no-banner',
      '--exit-code',
      '0',
      '--log-level',
      'error',
    ];
    const r =
      'dir' in target
        ? spawnSync(bin, ['dir', target.dir, ...common], { encoding: 'utf8' })
        : spawnSync(bin, ['stdin', ...common], {
            input: target.stdin,
            encoding: 'utf8',
            maxBuffer: 64 << 20,
          });
    if (r.status !== 0) throw new Error(`gitleaks failed (${r.status}): ${r.stderr}`);
    return JSON.parse(readFileSync(report, 'utf8')) as GitleaksFinding[];
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
