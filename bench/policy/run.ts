/**
 * Policy benchmark (`npm run bench:policy`): decision latency on a typical PR input vs named anchors (an
 * empty-input eval in the same engine, and `opa eval` on the same input), facts + scan time for a generated
 * 10 MB diff vs `gitleaks stdin` on the same text, and recall/precision on the labelled corpus vs gitleaks.
 * Prints a Markdown report; `--write` replaces the policy section of docs/BENCHMARKS.md.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, setPriority } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseUnifiedDiff, changeFromFiles } from '@autocode/policies';
import type { SecretScanner } from '@autocode/policies';
import { defaultScanner, loadPolicyEngine, secretlintScanner } from '@autocode/policies/node';
import { entropyScanner, patternScanner } from '@autocode/policies';
import { corpus, typicalPullRequest } from '@autocode/policies/testing';
import { evaluateCorpus } from './corpus-eval.js';
import type { Score } from './corpus-eval.js';
import { generateDiff } from './diff-gen.js';
import { gitleaks, gitleaksBin, gitleaksVersion } from './gitleaks.js';
import type { Latency } from './stats.js';
import { ms, timeAsync, timeEach } from './stats.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const DIFF_BYTES = 10 * 1024 * 1024;
const DECISIONS = 20_000;

async function decisionLatency() {
  const engine = await loadPolicyEngine();
  const typical = typicalPullRequest();
  const typicalBytes = JSON.stringify(typical).length;
  const decision = engine.evaluate(typical);
  // process.cpuUsage() resolution: one sample of the typical input is ~100 µs, well above it.
  if (!decision.allow) throw new Error('the typical PR should be allowed');
  const full = timeEach(() => engine.evaluate(typical), DECISIONS);
  const empty = timeEach(() => engine.evaluate({ operation: 'write' }), DECISIONS);
  // Anchor: OPA's own CLI evaluating the same Rego on the same input (process start included).
  const opa = `${root}.tools/bin/opa`;
  let opaCli: Latency | undefined;
  if (existsSync(opa)) {
    const args = [
      'eval',
      '-d',
      `${root}policies/rego`,
      '--ignore',
      '*_test.rego',
      '-I',
      '-f',
      'json',
      'data.autocode.decision',
    ];
    opaCli = await timeAsync(async () => spawnSync(opa, args, { input: JSON.stringify(typical) }), 15);
  }
  return { typicalBytes, full, empty, opaCli };
}

async function bigDiff() {
  const { diff, files, planted } = generateDiff(DIFF_BYTES);
  const scanners: [string, SecretScanner][] = [
    ['secretlint preset', secretlintScanner()],
    ['autocode patterns', patternScanner()],
    ['entropy check', entropyScanner()],
  ];
  const runs = 5;
  const parse = await timeAsync(async () => parseUnifiedDiff(diff), runs);
  const parsed = parseUnifiedDiff(diff);
  const targets = parsed.map((f) => ({ path: f.path, lines: f.added, lineNumbers: f.addedLines }));
  const perScanner: [string, Latency][] = [];
  for (const [name, s] of scanners) perScanner.push([name, await timeAsync(() => s.scan(targets), runs)]);
  const scanner = defaultScanner();
  let findings = 0;
  let inputBytes = 0;
  const cpu: number[] = [];
  const total = await timeAsync(async () => {
    const before = process.cpuUsage();
    const change = await changeFromFiles(parseUnifiedDiff(diff), { origin: 'llm', scanner });
    const used = process.cpuUsage(before);
    cpu.push((used.user + used.system) / 1000);
    findings = change.findings.length + (change.omitted?.findings ?? 0);
    inputBytes = JSON.stringify(change).length;
  }, runs);
  const cpuMedian = cpu.sort((a, b) => a - b)[Math.floor(cpu.length / 2)]!;
  const bin = gitleaksBin(root);
  const gl = bin ? await timeAsync(async () => gitleaks(bin, { stdin: diff }), 3) : undefined;
  const glFindings = bin ? gitleaks(bin, { stdin: diff }).length : undefined;
  return {
    bytes: diff.length,
    files,
    planted,
    parse,
    perScanner,
    total,
    cpuMedian,
    findings,
    inputBytes,
    gl,
    glFindings,
  };
}

function row(l: { wall: Latency; cpu: Latency }): string {
  return [l.wall.p50, l.wall.p99, l.wall.max, l.cpu.p50, l.cpu.p99].map(ms).join(' | ');
}

function pct(v: number): string {
  return `${(v * 100).toFixed(1)} %`;
}

function report(
  priority: string,
  d: Awaited<ReturnType<typeof decisionLatency>>,
  b: Awaited<ReturnType<typeof bigDiff>>,
  scores: Score[],
  gl?: string,
): string {
  const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MiB`;
  const ok = (cond: boolean) => (cond ? '✅' : '❌');
  const glScore = scores.find((s) => s.scanner.startsWith('gitleaks'));
  const ours = scores[0]!;
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${cpus()[0]?.model ?? 'unknown CPU'} (${cpus().length} cores, load average ${loadavg()[0]!.toFixed(1)} while measuring, the bench at ${priority}: wall-clock tails include time other processes held the CPU), Node ${process.version}, ${gl ?? 'gitleaks not installed'}.`,
    '',
    '**Goals**',
    '',
    '| goal | measured | met |',
    '| --- | --- | --- |',
    `| decision p99 < 1 ms (typical PR input), CPU time | ${ms(d.full.cpu.p99)} | ${ok(d.full.cpu.p99 < 1)} |`,
    `| decision p99 < 1 ms (typical PR input), wall clock on this shared machine | ${ms(d.full.wall.p99)} | ${ok(d.full.wall.p99 < 1)} |`,
    `| facts + scan of a 10 MB diff < 1 s | ${ms(b.total.p50)} median, ${ms(b.total.max)} worst of ${b.total.n} | ${ok(b.total.max < 1000)} |`,
    `| recall ≥ gitleaks's | ${pct(ours.recall)} vs ${glScore ? pct(glScore.recall) : 'n/a'} | ${ok(!glScore || ours.recall >= glScore.recall)} |`,
    `| precision ≥ 0.95 | ${pct(ours.precision)} | ${ok(ours.precision >= 0.95)} |`,
    '',
    `**Decision latency** (${DECISIONS.toLocaleString('en')} evaluations each, after warm-up; typical PR input = ${d.typicalBytes} bytes of JSON: 12 files, 2 commits, 2 approvals, 2 checks)`,
    '',
    '| what | wall p50 | wall p99 | wall max | CPU p50 | CPU p99 |',
    '| --- | --- | --- | --- | --- | --- |',
    `| wasm decision, typical PR | ${row(d.full)} |`,
    `| anchor: wasm decision, empty input | ${row(d.empty)} |`,
    d.opaCli
      ? `| anchor: \`opa eval\` CLI, same input (${d.opaCli.n} runs, process start included) | ${ms(d.opaCli.p50)} | ${ms(d.opaCli.p99)} | ${ms(d.opaCli.max)} | | |`
      : '| anchor: `opa eval` CLI | not installed | | | | |',
    '',
    `**Facts + scan of a generated diff** (${mb(b.bytes)}, ${b.files} files, ${b.planted} planted tokens; ${b.total.n} runs; the resulting policy input is ${(b.inputBytes / 1024).toFixed(0)} KiB)`,
    '',
    '| step | median | worst |',
    '| --- | --- | --- |',
    `| parse the unified diff | ${ms(b.parse.p50)} | ${ms(b.parse.max)} |`,
    ...b.perScanner.map(([name, l]) => `| scan added lines: ${name} | ${ms(l.p50)} | ${ms(l.max)} |`),
    `| **total: parse + markers + all scanners + fingerprints** (${b.findings} findings; CPU time ${ms(b.cpuMedian)} median) | **${ms(b.total.p50)}** | **${ms(b.total.max)}** |`,
    b.gl
      ? `| anchor: \`gitleaks stdin\` on the same text (${b.gl.n} runs, ${b.glFindings} findings) | ${ms(b.gl.p50)} | ${ms(b.gl.max)} |`
      : '| anchor: gitleaks | not installed | |',
    '',
    `**Secret scanning on the labelled corpus** (${ours.tp + ours.fn} fake secrets across providers, ${ours.tn + ours.fp} tricky non-secrets; see bench/policy/README.md)`,
    '',
    '| scanner | TP | FN | FP | TN | recall | precision |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...scores.map(
      (s) =>
        `| ${s.scanner} | ${s.tp} | ${s.fn} | ${s.fp} | ${s.tn} | ${pct(s.recall)} | ${pct(s.precision)} |`,
    ),
    '',
    ...scores.map(
      (s) =>
        `- ${s.scanner}: misses ${s.misses.length ? s.misses.join(', ') : 'none'}; false positives ${s.falsePositives.length ? s.falsePositives.join(', ') : 'none'}.`,
    ),
    '',
    'Reading:',
    `- A decision costs ≈ ${ms(d.full.cpu.p50)} of CPU (the empty-input anchor ≈ ${ms(d.empty.cpu.p50)}: the rest is the rules over 12 files and moving ${d.typicalBytes} bytes of JSON into wasm memory); \`opa eval\` pays process start and compilation on every call, which is why the bundle is compiled once and kept loaded.`,
    '- Wall-clock tails on this shared machine are scheduling: the same loop measured in CPU time stays far below 1 ms; on an idle machine the wall and CPU columns converge.',
    '- The 10 MB path is linear (parse, one pass per scanner over the joined added lines). secretlint keeps a process-wide profiler whose cost grows with every file linted; `policies/src/scan/secretlint.ts` switches its marks off (it made this row take seconds).',
    "- Entropy-only hits (`generic` rows) warn by default, so the deny-level recall equals gitleaks's; set `secrets.entropy: deny` in the policy config to block them as well. gitleaks has no rule for passwords in connection URIs or short generated passwords.",
  ];
  return lines.join('\n');
}

const START = '<!-- bench:policy:start -->';
const END = '<!-- bench:policy:end -->';

/** Replace (or append) this benchmark's own section; other sections of the file are left alone. */
function writeDocs(body: string): void {
  const file = `${root}docs/BENCHMARKS.md`;
  const section = `${START}\n## Policy engine and secret scanning (\`bench/policy\`)\n\nReproduce: \`npm run bench:policy\` (add \`-- --write\` to update this section). Needs \`.tools/bin/opa\` and \`.tools/bin/gitleaks\` (\`npm run setup\`).\n\n${body}\n${END}`;
  const current = existsSync(file)
    ? readFileSync(file, 'utf8')
    : '# Benchmarks\n\nEach section is written by its benchmark; rerun the command it names to refresh it.\n';
  const next = current.includes(START)
    ? current.replace(new RegExp(`${START}[\\s\\S]*?${END}`), section)
    : `${current.trimEnd()}\n\n${section}\n`;
  writeFileSync(file, next);
  console.error(`bench:policy: wrote ${file}`);
}

/**
 * On a shared machine most of a sub-millisecond tail is other processes holding the CPU. Ask for a higher
 * scheduling priority (works as root; ignored otherwise) so the tail measures the engine; the report says
 * which priority the run got.
 */
function raisePriority(): string {
  try {
    setPriority(-10);
    return 'nice -10';
  } catch {
    return 'default priority';
  }
}

const priority = raisePriority();
const bin = gitleaksBin(root);
if (!bin)
  console.error(
    'bench:policy: .tools/bin/gitleaks is missing (npm run setup -- --for bench); gitleaks columns skipped',
  );
const d = await decisionLatency();
const b = await bigDiff();
const scores = await evaluateCorpus(corpus(), defaultScanner(), bin);
const body = report(priority, d, b, scores, bin ? `gitleaks ${gitleaksVersion(root)}` : undefined);
console.log(body);
if (process.argv.includes('--write')) writeDocs(body);
