// Policy suite for `npm test`: opa fmt, opa check --strict (plus a check against the builtins the JS wasm
// SDK implements), opa test counted per test, coverage ≥ 90 %, opa test -t wasm (when opa has the wasm
// engine) and a stale-bundle check for policies/dist. Each is its own pass/fail entry.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const COVERAGE_THRESHOLD = 90;

export default async function policies({ root, env, check }) {
  const rego = join(root, 'policies/rego');
  const opa = (args) => spawnSync('opa', args, { cwd: root, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  const version = opa(['version']);
  if (version.status !== 0) {
    console.error('policies: opa is missing; run `npm run setup`');
    return [{ name: 'opa', passed: 0, failed: 1 }];
  }
  const results = [
    check('opa fmt', 'opa', ['fmt', '--list', '--fail', rego]),
    check('opa check --strict', 'opa', ['check', '--strict', rego]),
    withSdkCapabilities(root, opa, (caps) =>
      check('opa check wasm builtins', 'opa', ['check', '--strict', '--capabilities', caps, rego]),
    ),
    testCount('opa test', opa, ['test', '--format', 'json', rego]),
    coverage(opa, rego),
  ];
  if (/WebAssembly: available/.test(version.stdout)) {
    results.push(testCount('opa test -t wasm', opa, ['test', '-t', 'wasm', '--format', 'json', rego]));
  } else {
    console.error(
      'policies: this opa has no wasm engine (built without opa_wasm); skipping opa test -t wasm',
    );
  }
  results.push(check('policy bundle fresh', process.execPath, ['policies/scripts/build.mjs', '--check']));
  return results;
}

/** Run `opa test --format json` and count each test as one pass or failure. */
function testCount(name, opa, args) {
  console.error(`\n=== ${name}: opa ${args.join(' ')}`);
  const r = opa(args);
  let tests;
  try {
    tests = JSON.parse(r.stdout);
  } catch {
    console.error(r.stdout, r.stderr);
    return { name, passed: 0, failed: 1 };
  }
  const failed = tests.filter((t) => t.fail || t.error);
  for (const t of failed) console.error(`FAIL ${t.package}.${t.name}: ${t.error?.message ?? 'failed'}`);
  console.error(`${name}: ${tests.length - failed.length}/${tests.length} passed`);
  return { name, passed: tests.length - failed.length, failed: failed.length };
}

/** Line coverage of the Rego sources (tests included, as opa reports it); fails below the threshold. */
function coverage(opa, rego) {
  const name = `opa coverage ≥ ${COVERAGE_THRESHOLD}%`;
  console.error(`\n=== ${name}: opa test --coverage ${rego}`);
  let report;
  try {
    report = JSON.parse(opa(['test', '--coverage', rego]).stdout);
  } catch {
    return { name, passed: 0, failed: 1 };
  }
  for (const [file, f] of Object.entries(report.files ?? {})) {
    const missed = (f.not_covered ?? []).map((r) => `${r.start.row}-${r.end.row}`);
    if (missed.length) console.error(`${file}: ${f.coverage}% (not covered: lines ${missed.join(', ')})`);
  }
  const ok = report.coverage >= COVERAGE_THRESHOLD;
  console.error(`coverage: ${report.coverage}% (threshold ${COVERAGE_THRESHOLD}%)`);
  return { name, passed: ok ? 1 : 0, failed: ok ? 0 : 1 };
}

/**
 * The JS SDK implements some builtins itself; anything outside its capabilities.json would compile but
 * fail at evaluation. Merge its builtin list into opa's own capabilities (which carry the rego_v1 feature).
 */
function withSdkCapabilities(root, opa, fn) {
  const dir = mkdtempSync(join(tmpdir(), 'autocode-caps-'));
  try {
    const current = JSON.parse(opa(['capabilities', '--current']).stdout);
    const sdk = JSON.parse(
      readFileSync(join(root, 'node_modules/@open-policy-agent/opa-wasm/capabilities.json'), 'utf8'),
    );
    const allowed = new Set(sdk.builtins.map((b) => b.name));
    current.builtins = current.builtins.filter((b) => allowed.has(b.name));
    const file = join(dir, 'capabilities.json');
    writeFileSync(file, JSON.stringify(current));
    return fn(file);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
