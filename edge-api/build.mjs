#!/usr/bin/env node
// Bundle the Worker with esbuild (what wrangler does on deploy) so tests and benchmarks run the same module in
// workerd through Miniflare. Usage: node edge-api/build.mjs [outfile]  (default edge-api/dist/worker.js)
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

export async function buildWorker(outfile = join(here, 'dist/worker.js')) {
  await build({
    entryPoints: [join(here, 'src/index.ts')],
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'neutral',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser', 'import'],
    mainFields: ['browser', 'module', 'main'],
    // `.wasm` policy bundles stay separate modules: workerd must receive them precompiled.
    external: ['*.wasm'],
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await buildWorker(process.argv[2]));
}
