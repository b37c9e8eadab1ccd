#!/usr/bin/env node
// `npm test`: install what is missing, then run every suite (static checks, bundle freshness, jest, and the
// suites in scripts/suites/*.mjs such as `opa test`), print a table and one closing line
// `tests: N passed, N failed`. Extra args go to jest (e.g. `npm test -- sandbox`), and skip the other suites.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const jestArgs = process.argv.slice(2);
const results = join(root, '.test-results');
mkdirSync(results, { recursive: true });

const setup = spawnSync(process.execPath, [join(root, 'scripts/setup.mjs'), '--for', 'test'], {
  stdio: 'inherit',
  cwd: root,
});
if (setup.status !== 0) {
  console.error('test: setup failed; see above');
  console.log('tests: 0 passed, 1 failed');
  process.exit(1);
}

const env = {
  ...process.env,
  PATH: `${join(root, '.tools/bin')}:${join(root, 'node_modules/.bin')}:${process.env.PATH}`,
};

/** Run a command as one pass/fail check. */
export function check(name, cmd, args, opts = {}) {
  console.error(`\n=== ${name}: ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, env, ...opts });
  return { name, passed: r.status === 0 ? 1 : 0, failed: r.status === 0 ? 0 : 1 };
}

function jest() {
  const out = join(results, 'jest.json');
  console.error(`\n=== jest`);
  spawnSync(
    process.execPath,
    [
      '--experimental-vm-modules',
      '--no-warnings=ExperimentalWarning',
      join(root, 'node_modules/jest/bin/jest.js'),
      '--json',
      `--outputFile=${out}`,
      ...jestArgs,
    ],
    { stdio: 'inherit', cwd: root, env },
  );
  if (!existsSync(out)) return { name: 'jest', passed: 0, failed: 1 };
  const r = JSON.parse(readFileSync(out, 'utf8'));
  // A suite that fails to load has no test results; count it as one failure.
  const broken = r.testResults.filter((s) => s.status === 'failed' && s.assertionResults.length === 0).length;
  return { name: 'jest', passed: r.numPassedTests, failed: r.numFailedTests + broken };
}

const suites = [];
if (jestArgs.length === 0) {
  suites.push(check('typecheck', 'npx', ['tsc', '-p', 'tsconfig.json']));
  suites.push(check('lint', 'npx', ['eslint', '.']));
  suites.push(check('format', 'npx', ['prettier', '--check', '.', '--log-level', 'warn']));
  suites.push(check('bundles fresh', process.execPath, ['scripts/bundle.mjs', '--check']));
  const dir = join(root, 'scripts/suites');
  for (const f of existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.mjs'))
        .sort()
    : []) {
    const mod = await import(pathToFileURL(join(dir, f)).href);
    suites.push(...[].concat(await mod.default({ root, env, check })));
  }
}
suites.push(jest());

const passed = suites.reduce((n, s) => n + s.passed, 0);
const failed = suites.reduce((n, s) => n + s.failed, 0);
console.error('\nsuite                     passed  failed');
for (const s of suites)
  console.error(`${s.name.padEnd(24)} ${String(s.passed).padStart(7)} ${String(s.failed).padStart(7)}`);
writeFileSync(join(results, 'summary.json'), JSON.stringify({ passed, failed, suites }, null, 2));
console.log(`tests: ${passed} passed, ${failed} failed`);
process.exit(failed === 0 ? 0 : 1);
