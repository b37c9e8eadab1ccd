/**
 * Edge API benchmark: `POST /v1/commands` (token verification, rate-limit upserts, policy reads, and the
 * job + outbox + audit batch in D1; the dispatch to the forge follows in waitUntil) against `GET /health` on
 * the same server as the anchor, at 10 and 50 concurrent connections. The Worker runs in workerd through
 * Miniflare with a local D1 (SQLite) and KV; GitHub is a minimal stub (see github-stub.ts for why not the forge).
 * Usage: npx tsx bench/edge/run.ts [--duration 10] [--d1-dir /dev/shm/edge-d1] [--json out.json]
 */
import type autocannon from 'autocannon';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { REPO, startHarness } from '@autocode/edge-api/testing';
import { startGitHubStub } from './github-stub.js';

const require = createRequire(import.meta.url);

interface Row {
  route: string;
  connections: number;
  requests: number;
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
}

const args = process.argv.slice(2);
const flag = (name: string) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const duration = Number(flag('--duration') ?? 10);
/** `--d1-dir /dev/shm/edge-d1` keeps local D1 in memory (no fsync) to show how much of a command is the disk. */
const d1Dir = flag('--d1-dir');

async function run(
  url: string,
  route: string,
  connections: number,
  opts: Partial<autocannon.Options>,
): Promise<Row> {
  const r = await loadFromChild({ url, connections, duration, pipelining: 1, ...opts });
  return {
    route,
    connections,
    requests: r.requests.total,
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p90: r.latency.p90,
    p99: r.latency.p99,
    max: r.latency.max,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

/**
 * autocannon runs in its own process: the forge (GitHub) shares this one and blocks its event loop while it
 * saves state, which would otherwise be measured as Worker latency.
 */
function loadFromChild(opts: autocannon.Options): Promise<autocannon.Result> {
  const cli = [
    '-c',
    String(opts.connections),
    '-d',
    String(opts.duration),
    '-p',
    String(opts.pipelining),
    '-j',
    ...(opts.method ? ['-m', opts.method] : []),
    ...Object.entries((opts.headers ?? {}) as Record<string, string>).flatMap(([k, v]) => [
      '-H',
      `${k}=${v}`,
    ]),
    ...(opts.body ? ['-b', String(opts.body)] : []),
    opts.url as string,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [require.resolve('autocannon/autocannon.js'), ...cli], {
      stdio: ['ignore', 'pipe', 'ignore'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.on('error', reject);
    child.on('close', () => {
      try {
        resolve(JSON.parse(out) as autocannon.Result);
      } catch (err) {
        reject(new Error(`autocannon printed no JSON: ${String(err)}`));
      }
    });
  });
}

const github = await startGitHubStub();
const h = await startHarness(
  {
    RATE_LIMIT_USER_PER_MINUTE: '10000000',
    RATE_LIMIT_DEVICE_PER_MINUTE: '10000000',
    GITHUB_API_URL: github.apiUrl,
    GITHUB_INSTALLATION_ID: '1',
  },
  d1Dir ? { d1Persist: d1Dir } : {},
);
try {
  const token = await h.user('member');
  const command = {
    method: 'POST' as const,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ repo: REPO, command: 'sync' }),
  };
  // Warm-up: JIT, JWKS cache, installation token, SQLite pages.
  await run(`${h.url}/v1/commands`, 'warmup', 10, { ...command, duration: 2 });
  const rows: Row[] = [];
  for (const connections of [10, 50]) {
    rows.push(await run(`${h.url}/health`, 'GET /health', connections, {}));
    rows.push(await run(`${h.url}/v1/commands`, 'POST /v1/commands', connections, command));
  }
  const jobs = await h.db.prepare('SELECT COUNT(*) AS n FROM jobs').first<{ n: number }>();
  console.log('| route | connections | requests | req/s | p50 ms | p90 ms | p99 ms | max ms | non-2xx |');
  console.log('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of rows) {
    console.log(
      `| \`${r.route}\` | ${r.connections} | ${r.requests} | ${r.rps} | ${r.p50} | ${r.p90} | ${r.p99} | ${r.max} | ${r.non2xx + r.errors} |`,
    );
  }
  console.log(
    `\njobs written to D1 during the run: ${jobs?.n ?? 0}; dispatches received: ${github.dispatches()}`,
  );
  const out = flag('--json');
  if (out) writeFileSync(out, JSON.stringify({ duration, rows, jobs: jobs?.n ?? 0 }, null, 2));
} finally {
  await h.close();
  await github.close();
}
