// Monitoring suite for `npm test`: Prometheus alert rules checked and unit-tested with promtool (pinned in
// tools.json). `promtool test rules` prints one line per failed case; a file passes as a whole.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

export default async function monitoring({ root, env, check }) {
  const dir = join(root, 'infra/monitoring');
  if (spawnSync('promtool', ['--version'], { env }).status !== 0) {
    console.error('monitoring: promtool is missing; run `npm run setup`');
    return [{ name: 'promtool', passed: 0, failed: 1 }];
  }
  const tests = readdirSync(dir)
    .filter((f) => f.endsWith('.test.yaml'))
    .sort();
  return [
    check('promtool check rules', 'promtool', ['check', 'rules', join(dir, 'alerts.rules.yaml')]),
    ...tests.map((f) => check(`promtool test ${f}`, 'promtool', ['test', 'rules', join(dir, f)])),
  ];
}
