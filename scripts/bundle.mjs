#!/usr/bin/env node
// Bundle every action (actions/*/action.yml whose runs.main is dist/index.js) from src/main.ts with
// @vercel/ncc into a single committed dist/index.js. `--check` rebuilds in memory and fails when a committed
// bundle differs (stale), so `npm test` catches a forgotten `npm run bundle`.
// Usage: node scripts/bundle.mjs [--check] [action-name…]
import ncc from '@vercel/ncc';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
const checkOnly = args.includes('--check');
const only = args.filter((a) => !a.startsWith('--'));
const actionsDir = join(root, 'actions');

const actions = readdirSync(actionsDir).filter((name) => {
  const yml = join(actionsDir, name, 'action.yml');
  return (
    existsSync(yml) &&
    /main:\s*['"]?dist\/index\.js/.test(readFileSync(yml, 'utf8')) &&
    (only.length === 0 || only.includes(name))
  );
});

// Each action is bundled in its own process: webpack keeps every compilation's heap, and several large
// bundles in one process exceed Node's default heap.
if (!args.includes('--one') && actions.length > 1) {
  let failed = 0;
  for (const name of actions) {
    const r = spawnSync(
      process.execPath,
      [
        '--max-old-space-size=4096',
        fileURLToPath(import.meta.url),
        '--one',
        ...(checkOnly ? ['--check'] : []),
        name,
      ],
      { stdio: 'inherit' },
    );
    if (r.status !== 0) failed++;
  }
  process.exit(failed ? 1 : 0);
}

let stale = 0;
for (const name of actions) {
  const dir = join(actionsDir, name);
  const started = Date.now();
  const { code, assets } = await ncc(join(dir, 'src/main.ts'), {
    quiet: true,
    minify: false,
    sourceMap: false,
    cache: false,
    license: 'licenses.txt',
    target: 'es2022',
  });
  const files = { 'index.js': code };
  for (const [file, asset] of Object.entries(assets ?? {})) files[file] = asset.source;
  const dist = join(dir, 'dist');
  if (checkOnly) {
    const diffs = Object.entries(files).filter(([file, content]) => {
      const path = join(dist, file);
      return !existsSync(path) || !readFileSync(path).equals(Buffer.from(content));
    });
    if (diffs.length) {
      stale++;
      console.error(
        `bundle: actions/${name}/dist is stale (${diffs.map(([f]) => f).join(', ')}); run \`npm run bundle\` and commit dist/`,
      );
    } else console.error(`bundle: actions/${name}/dist is fresh`);
  } else {
    rmSync(dist, { recursive: true, force: true });
    for (const [file, content] of Object.entries(files)) {
      mkdirSync(dirname(join(dist, file)), { recursive: true });
      writeFileSync(join(dist, file), content);
    }
    console.error(
      `bundle: actions/${name}/dist/index.js (${(code.length / 1024).toFixed(0)} KiB, ${Date.now() - started} ms)`,
    );
  }
}
if (actions.length === 0) console.error('bundle: no actions with dist/index.js found');
process.exit(stale ? 1 : 0);
