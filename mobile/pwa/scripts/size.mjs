#!/usr/bin/env node
// First-load budget check of the built PWA: the JavaScript `index.html` loads before the first screen (module
// entry scripts, modulepreloads and their static imports, followed recursively), gzipped at level 9, must stay
// under 200 KiB. Also fails on any inline <script>, which the Content-Security-Policy would block.
// Usage: node scripts/size.mjs [distDir]   (exit 1 over budget or on inline script)
import { readFileSync } from 'node:fs';
import { dirname, join, posix } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

export const BUDGET_BYTES = 200 * 1024;

const STATIC_IMPORT = /(?:^|[;})\s])(?:import|export)\s*(?:[\w*{}\s,$]+?\s*from\s*)?["']([^"']+\.js)["']/g;

/** Files loaded before first render, as site paths (`/assets/index-abc.js`). */
export function firstLoadScripts(dist) {
  const html = readFileSync(join(dist, 'index.html'), 'utf8');
  const inline = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)].filter(
    ([, attrs, body]) => !/\bsrc=/.test(attrs) && body.trim() !== '',
  );
  const roots = [
    ...[...html.matchAll(/<script\b[^>]*\bsrc="([^"]+\.js)"/g)].map((m) => m[1]),
    ...[...html.matchAll(/<link\b[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)].map((m) => m[1]),
  ];
  const seen = new Set();
  const visit = (path) => {
    if (seen.has(path)) return;
    seen.add(path);
    const code = readFileSync(join(dist, path), 'utf8');
    for (const [, spec] of code.matchAll(STATIC_IMPORT)) {
      if (spec.startsWith('.')) visit(posix.join(posix.dirname(path), spec));
    }
  };
  roots.forEach(visit);
  return { scripts: [...seen], inlineScripts: inline.length };
}

export function measure(dist) {
  const { scripts, inlineScripts } = firstLoadScripts(dist);
  const files = scripts.map((path) => {
    const raw = readFileSync(join(dist, path));
    return { path, bytes: raw.length, gzip: gzipSync(raw, { level: 9 }).length };
  });
  const gzip = files.reduce((n, f) => n + f.gzip, 0);
  return {
    files,
    gzip,
    budget: BUDGET_BYTES,
    inlineScripts,
    ok: gzip <= BUDGET_BYTES && inlineScripts === 0,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dist = process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '../dist');
  const r = measure(dist);
  for (const f of r.files)
    console.log(`${f.path.padEnd(40)} ${String(f.bytes).padStart(8)} B  gzip ${f.gzip} B`);
  const kib = (n) => (n / 1024).toFixed(1);
  console.log(`first-load JavaScript: ${kib(r.gzip)} KiB gzipped (budget ${kib(r.budget)} KiB)`);
  if (r.inlineScripts)
    console.error(`size: ${r.inlineScripts} inline <script> in index.html (CSP forbids them)`);
  if (!r.ok) process.exit(1);
}
