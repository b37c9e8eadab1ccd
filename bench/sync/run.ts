/**
 * Sync benchmark against the sandbox forge's request log (`npm run bench:sync`):
 *  1. API requests per target for 1, 100 and 1,000 changed text files — first sync (PR opened), update (PR
 *     exists) and a rerun with no change. Goal: constant, ≤ 10 for text-only changes.
 *  2. Wall time for 1 source → 50 targets × 200 files, against an anchor implemented here: the per-file
 *     Contents API strategy most sync actions use (branch, one PUT /contents per file, PR). Both run on the same
 *     forge with no write spacing; the content-creating request counts are also turned into the time GitHub's
 *     secondary limits (80/min, 500/h) would impose.
 * Writes its tables into docs/BENCHMARKS.md under "## Sync". `--quick` shrinks both parts for a smoke run.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SeedFile } from '@autocode/sandbox';
import { OWNER, startSyncFixture } from '../../actions/sync/src/e2e/fixture.js';
import type { SyncFixture } from '../../actions/sync/src/e2e/fixture.js';
import { contentsApiSync } from './anchor.js';

const quick = process.argv.includes('--quick');
const SIZES = quick ? [1, 10] : [1, 100, 1000];
const FLEET = quick ? { targets: 5, files: 20 } : { targets: 50, files: 200 };
const root = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');

const body = (i: number, v: number) =>
  `# file ${i}\n\nversion ${v}\n${'lorem ipsum dolor sit amet '.repeat(6)}\n`;

function seed(): Record<string, SeedFile> {
  const files: Record<string, SeedFile> = {};
  for (const n of SIZES) for (let i = 0; i < n; i++) files[`docs/n${n}/f${i}.md`] = body(i, 1);
  for (let i = 0; i < FLEET.files; i++) files[`fleet/f${i}.md`] = body(i, 1);
  return files;
}

interface Count {
  requests: number;
  writes: number;
}

/** API requests the forge logged for one repository (token minting excluded: it is per run, not per target). */
function countFor(fx: SyncFixture, repo: string): Count {
  const entries = fx.forge.requests.filter(
    (r) =>
      (r.kind === 'api' && r.path.includes(`/repos/${OWNER}/${repo}/`)) ||
      r.path.endsWith(`/repos/${OWNER}/${repo}`),
  );
  return {
    requests: entries.length,
    writes: entries.filter((r) => !['GET', 'HEAD'].includes(r.method)).length,
  };
}

async function mergeOpenPr(fx: SyncFixture, repo: string): Promise<void> {
  const { data } = await fx.app.rest.pulls.list({ owner: OWNER, repo, state: 'open' });
  await fx.app.request('PUT /repos/{owner}/{repo}/pulls/{pull_number}/merge', {
    owner: OWNER,
    repo,
    pull_number: data[0]!.number,
    merge_method: 'squash',
  });
}

async function changeAll(fx: SyncFixture, n: number, version: number): Promise<void> {
  const changed: Record<string, string> = {};
  for (let i = 0; i < n; i++) changed[`docs/n${n}/f${i}.md`] = body(i, version);
  await fx.push('foundation', changed);
  await fx.refreshSource();
}

async function perTarget(fx: SyncFixture): Promise<string[][]> {
  const rows: string[][] = [];
  for (const n of SIZES) {
    const repo = `t-n${n}`;
    await fx.forge.createRepo(OWNER, repo, { files: { 'README.md': `# ${repo}\n` } });
    const targets = fx.targets(
      `targets:\n  - repo: ${OWNER}/${repo}\n    paths: [docs/n${n}/**]\n    labels: [sync/foundation]\n`,
    );
    const measure = async (expect: string): Promise<Count> => {
      fx.forge.clearRequests();
      const [r] = (await fx.sync(targets)).targets;
      if (r!.status !== expect)
        throw new Error(`${repo}: expected ${expect}, got ${r!.status}: ${r!.message}`);
      return countFor(fx, repo);
    };
    const first = await measure('created');
    await mergeOpenPr(fx, repo);
    await changeAll(fx, n, 2);
    const afterMerge = await measure('created'); // the state file now exists: the steady state
    await changeAll(fx, n, 3);
    const update = await measure('updated');
    const rerun = await measure('unchanged');
    const cell = (c: Count) => `${c.requests} (${c.writes} writes)`;
    rows.push([String(n), cell(first), cell(afterMerge), cell(update), cell(rerun)]);
    console.error(
      `per-target ${n}: first ${cell(first)}, after merge ${cell(afterMerge)}, update ${cell(update)}, rerun ${cell(rerun)}`,
    );
  }
  return rows;
}

async function fleet(fx: SyncFixture): Promise<{ rows: string[][]; ratio: number }> {
  const ours = Array.from({ length: FLEET.targets }, (_, i) => `fleet-${i}`);
  const anchor = Array.from({ length: FLEET.targets }, (_, i) => `anchor-${i}`);
  for (const name of [...ours, ...anchor])
    await fx.forge.createRepo(OWNER, name, { files: { 'README.md': `# ${name}\n` } });
  const yaml = `targets:\n${ours.map((r) => `  - repo: ${OWNER}/${r}\n    paths: [fleet/**]\n`).join('')}`;

  fx.forge.clearRequests();
  let t0 = performance.now();
  const result = await fx.sync(fx.targets(yaml));
  const oursMs = performance.now() - t0;
  const bad = result.targets.filter((t) => t.status !== 'created');
  if (bad.length) throw new Error(`fleet: ${bad.length} targets not created: ${bad[0]!.message}`);
  const oursCount = {
    requests: fx.forge.requests.filter((r) => r.kind === 'api').length,
    writes: result.writes,
  };

  fx.forge.clearRequests();
  t0 = performance.now();
  const files = new Map<string, string>();
  for (let i = 0; i < FLEET.files; i++) files.set(`fleet/f${i}.md`, body(i, 1));
  await contentsApiSync(fx.app, OWNER, anchor, files, 4);
  const anchorMs = performance.now() - t0;
  const api = fx.forge.requests.filter((r) => r.kind === 'api');
  const anchorCount = { requests: api.length, writes: api.filter((r) => r.method !== 'GET').length };

  // GitHub's secondary limits: ≤ 80 content-creating requests per minute and ≤ 500 per hour.
  const limited = (writes: number) => {
    const minutes = Math.max(writes / 80, Math.floor((writes - 1) / 500) * 60);
    return minutes < 60 ? `${minutes.toFixed(1)} min` : `${(minutes / 60).toFixed(1)} h`;
  };
  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const rows = [
    [
      'autocode sync (Git Data API, one commit per target)',
      s(oursMs),
      String(oursCount.requests),
      String(oursCount.writes),
      limited(oursCount.writes),
    ],
    [
      'anchor: per-file Contents API (PUT /contents per file)',
      s(anchorMs),
      String(anchorCount.requests),
      String(anchorCount.writes),
      limited(anchorCount.writes),
    ],
  ];
  console.error(
    `fleet: ours ${s(oursMs)} ${oursCount.requests} req; anchor ${s(anchorMs)} ${anchorCount.requests} req`,
  );
  return { rows, ratio: anchorMs / oursMs };
}

function table(headers: string[], rows: string[][]): string {
  return [
    `| ${headers.join(' | ')} |`,
    `| ${headers.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.join(' | ')} |`),
  ].join('\n');
}

const FILE = join(root, 'docs', 'BENCHMARKS.md');

/** Replace `<!-- sync:NAME -->…<!-- /sync:NAME -->` (or the whole "## Sync" section) in docs/BENCHMARKS.md. */
function writeBlock(name: string | undefined, markdown: string): void {
  // Re-read right before writing: other capabilities keep their own sections in the same file.
  const current = existsSync(FILE) ? readFileSync(FILE, 'utf8') : '# Benchmarks\n';
  if (name) {
    const open = `<!-- sync:${name} -->`;
    const close = `<!-- /sync:${name} -->`;
    const a = current.indexOf(open);
    const b = current.indexOf(close);
    if (a < 0 || b < 0)
      throw new Error(`docs/BENCHMARKS.md has no ${open} block: run the whole benchmark once`);
    writeFileSync(FILE, `${current.slice(0, a)}${markdown}${current.slice(b + close.length)}`);
    return;
  }
  const start = current.indexOf('\n## Sync\n');
  let next = start < 0 ? -1 : current.indexOf('\n## ', start + 1);
  if (next < 0) next = current.length;
  const updated =
    start < 0
      ? `${current.trimEnd()}\n\n${markdown}\n`
      : `${current.slice(0, start)}\n${markdown}\n${current.slice(next)}`;
  writeFileSync(FILE, updated.replace(/\n{3,}/g, '\n\n'));
}

const block = (name: string, lines: string[]) =>
  [`<!-- sync:${name} -->`, ...lines, `<!-- /sync:${name} -->`].join('\n');

function perTargetBlock(rows: string[][]): string {
  return block('per-target', [
    '**API requests per target** (forge request log; token minting excluded; the target has one label configured, which',
    'costs one request when a PR is opened):',
    '',
    table(
      [
        'Changed text files',
        'First sync (PR opened)',
        'Next sync after merge (new PR)',
        'Update (PR open)',
        'Rerun, no change',
      ],
      rows,
    ),
  ]);
}

function fleetBlock(rows: string[][], ratio: number): string {
  return block('fleet', [
    `**1 source → ${FLEET.targets} targets × ${FLEET.files} files** (4 targets in parallel), against the per-file Contents API anchor:`,
    '',
    table(
      [
        'Strategy',
        'Wall time',
        'API requests',
        'Content-creating',
        'At GitHub secondary limits (80/min, 500/h)',
      ],
      rows,
    ),
    '',
    `Wall-time ratio anchor / autocode: **${ratio.toFixed(1)}×**.`,
  ]);
}

// `--only per-target` or `--only fleet` reruns one part and replaces only its block.
const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined;
const fx = await startSyncFixture({ source: seed(), targets: {} });
try {
  const parts: string[] = [];
  if (only !== 'fleet') parts.push(perTargetBlock(await perTarget(fx)));
  if (only !== 'per-target') {
    const { rows, ratio } = await fleet(fx);
    parts.push(fleetBlock(rows, ratio));
  }
  const markdown = [
    '## Sync',
    '',
    `Reproduce: \`npm run bench:sync\` (sandbox forge on loopback, real git, no write spacing; ${new Date().toISOString().slice(0, 10)}, Node ${process.versions.node}).`,
    'Requests per target stay constant as files grow: text goes inline in one `POST /git/trees`; only binary files',
    'add one blob upload each. The sandbox forge spawns git per blob and per commit, so wall times are dominated by',
    "the forge on both sides (and, for autocode, by Octokit's 3 s spacing between PR creations: 50 PRs); the request",
    'counts and the secondary-limit column carry over to GitHub.',
    '',
    parts.join('\n\n'),
  ].join('\n');
  if (!quick) {
    if (only) writeBlock(only, parts[0]!);
    else writeBlock(undefined, markdown);
  }
  console.log(markdown);
} finally {
  await fx.stop();
}
