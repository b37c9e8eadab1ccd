#!/usr/bin/env node
// `npm start`: install what is missing, check the toolchain, then run the local stack in the foreground
// (`autocode up` when available, else the sandbox). Ctrl-C stops everything.
import { spawnSync, spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const setup = spawnSync(process.execPath, [join(root, 'scripts/setup.mjs'), '--for', 'start'], {
  stdio: 'inherit',
  cwd: root,
});
if (setup.status !== 0) process.exit(setup.status ?? 1);

const cli = join(root, 'cli/bin/autocode.js');
spawnSync(process.execPath, [cli, 'doctor'], { stdio: 'inherit', cwd: root });

const help = spawnSync(process.execPath, [cli, '--help'], { encoding: 'utf8', cwd: root }).stdout;
const command = /^\s+up\b/m.test(help) ? ['up'] : /^\s+sandbox\b/m.test(help) ? ['sandbox', 'up'] : undefined;
if (!command) {
  console.error('start: no local stack command is available yet; doctor ran above');
  process.exit(0);
}
const child = spawn(process.execPath, [cli, ...command, ...process.argv.slice(2)], {
  stdio: 'inherit',
  cwd: root,
});
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
