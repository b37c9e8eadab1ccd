// Gatekeeper suite for `npm test`: the runner-namespace ConstraintTemplates' Rego (infra/gatekeeper/rego) —
// opa fmt, opa check --strict, opa test with each test counted, and coverage ≥ 90 %. The templates embedding the
// same Rego are compared to these files by test/ops/infra.test.ts.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const COVERAGE_THRESHOLD = 90;

export default async function gatekeeper({ root, env, check }) {
  const rego = join(root, 'infra/gatekeeper/rego');
  const opa = (args) => spawnSync('opa', args, { cwd: root, env, encoding: 'utf8', maxBuffer: 64 << 20 });
  if (opa(['version']).status !== 0) {
    console.error('gatekeeper: opa is missing; run `npm run setup`');
    return [{ name: 'gatekeeper opa', passed: 0, failed: 1 }];
  }
  const results = [
    check('gatekeeper opa fmt', 'opa', ['fmt', '--list', '--fail', rego]),
    check('gatekeeper opa check', 'opa', ['check', '--strict', rego]),
  ];
  console.error(`\n=== gatekeeper opa test: opa test --format json ${rego}`);
  const r = opa(['test', '--format', 'json', rego]);
  let tests = [];
  try {
    tests = JSON.parse(r.stdout);
  } catch {
    console.error(r.stdout, r.stderr);
    results.push({ name: 'gatekeeper opa test', passed: 0, failed: 1 });
    return results;
  }
  const failed = tests.filter((t) => t.fail || t.error);
  for (const t of failed) console.error(`FAIL ${t.package}.${t.name}: ${t.error?.message ?? 'failed'}`);
  console.error(`gatekeeper opa test: ${tests.length - failed.length}/${tests.length} passed`);
  results.push({ name: 'gatekeeper opa test', passed: tests.length - failed.length, failed: failed.length });
  let coverage = 0;
  try {
    coverage = JSON.parse(opa(['test', '--coverage', rego]).stdout).coverage;
  } catch {
    coverage = 0;
  }
  const ok = coverage >= COVERAGE_THRESHOLD;
  console.error(`gatekeeper coverage: ${coverage}% (threshold ${COVERAGE_THRESHOLD}%)`);
  results.push({
    name: `gatekeeper coverage ≥ ${COVERAGE_THRESHOLD}%`,
    passed: ok ? 1 : 0,
    failed: ok ? 0 : 1,
  });
  return results;
}
