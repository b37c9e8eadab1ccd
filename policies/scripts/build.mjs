#!/usr/bin/env node
// Build the policy bundle: `opa build -t wasm -e autocode/decision rego/` (tests excluded), then extract
// policy.wasm and data.json into policies/dist/ (committed: the Worker imports the .wasm at build time).
// `--check` builds into a temp dir and fails when the committed files differ (stale bundle).
// Usage: node policies/scripts/build.mjs [--check] [--opa <path>]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const ENTRYPOINTS = ['autocode/decision'];
const FILES = ['policy.wasm', 'data.json'];

const pkg = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const checkOnly = args.includes('--check');
const opa = args.includes('--opa')
  ? args[args.indexOf('--opa') + 1]
  : ([join(pkg, '../.tools/bin/opa')].find((p) => existsSync(p)) ?? 'opa');

function run(cmd, argv, cwd) {
  const r = spawnSync(cmd, argv, { cwd, encoding: 'utf8' });
  if (r.status !== 0) {
    console.error(
      `policies build: ${cmd} ${argv.join(' ')} failed (${r.error?.message ?? r.status})\n${r.stderr}`,
    );
    process.exit(1);
  }
}

const tmp = mkdtempSync(join(tmpdir(), 'autocode-policy-'));
try {
  const bundle = join(tmp, 'bundle.tar.gz');
  const entry = ENTRYPOINTS.flatMap((e) => ['-e', e]);
  run(opa, ['build', '-t', 'wasm', ...entry, '--ignore', '*_test.rego', '-o', bundle, 'rego'], pkg);
  run('tar', ['-xzf', bundle, '-C', tmp, ...FILES.map((f) => `/${f}`)], tmp);
  const dist = join(pkg, 'dist');
  const stale = FILES.filter((f) => {
    const built = readFileSync(join(tmp, f));
    const committed = join(dist, f);
    return !existsSync(committed) || !readFileSync(committed).equals(built);
  });
  if (checkOnly) {
    if (stale.length) {
      console.error(
        `policies build: dist is stale (${stale.join(', ')}); run \`npm run build -w policies\` and commit policies/dist`,
      );
      process.exit(1);
    }
    console.error('policies build: dist is fresh');
  } else {
    mkdirSync(dist, { recursive: true });
    for (const f of FILES) writeFileSync(join(dist, f), readFileSync(join(tmp, f)));
    console.error(
      `policies build: wrote dist/${FILES.join(', dist/')} (${stale.length ? 'changed' : 'unchanged'})`,
    );
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
