#!/usr/bin/env node
// Bundle the Worker with esbuild (what wrangler does on deploy) so tests and benchmarks run the same module in
// workerd through Miniflare. Usage: node edge-api/build.mjs [outfile]  (default edge-api/dist/worker.js)
import { build } from 'esbuild';
import { copyFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

const require = createRequire(import.meta.url);

// `.wasm` imports (the policy bundle) stay separate modules next to the bundle: workerd must receive them
// precompiled (Miniflare: modulesRules CompiledWasm; wrangler does the same on deploy).
const wasmModules = (outdir) => ({
  name: 'wasm-modules',
  setup(b) {
    b.onResolve({ filter: /\.wasm$/ }, (args) => {
      const file = require.resolve(args.path, { paths: [args.resolveDir] });
      // esbuild creates the outdir only when it writes the bundle, after this copy.
      mkdirSync(outdir, { recursive: true });
      copyFileSync(file, join(outdir, basename(file)));
      return { path: `./${basename(file)}`, external: true };
    });
  },
});

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
    plugins: [wasmModules(dirname(outfile))],
    logLevel: 'warning',
  });
  return outfile;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log(await buildWorker(process.argv[2]));
}
