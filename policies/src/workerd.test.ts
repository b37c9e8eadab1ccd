/**
 * The same bundle, engine and facts code inside workerd (through Miniflare) and in Node must agree. The
 * Worker imports policy.wasm as a module at build time, as Workers require (no compiling from bytes).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { build } from 'esbuild';
import { Miniflare } from 'miniflare';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { changeFromDiff } from './facts.js';
import { loadPolicyEngine } from './node.js';
import { combineScanners } from './scan/combine.js';
import { entropyScanner } from './scan/entropy.js';
import { patternScanner } from './scan/patterns.js';
import { decisionCases } from './testing/inputs.js';
import { ALNUM, Fakes, p } from './testing/random.js';

let mf: Miniflare;

beforeAll(async () => {
  const out = await build({
    entryPoints: [fileURLToPath(new URL('./testing/worker.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    conditions: ['workerd', 'worker', 'browser'],
    logLevel: 'silent',
    plugins: [
      {
        name: 'wasm-module',
        setup(b) {
          b.onResolve({ filter: /\.wasm$/ }, () => ({ path: './policy.wasm', external: true }));
        },
      },
    ],
  });
  mf = new Miniflare({
    compatibilityDate: '2024-09-23',
    modules: [
      { type: 'ESModule', path: 'worker.js', contents: out.outputFiles[0]!.text },
      {
        type: 'CompiledWasm',
        path: 'policy.wasm',
        contents: readFileSync(new URL('../dist/policy.wasm', import.meta.url)),
      },
    ],
  });
  await mf.ready;
});

afterAll(async () => {
  await mf?.dispose();
});

async function post(path: string, body: unknown): Promise<unknown> {
  const res = await mf.dispatchFetch(`http://worker${path}`, { method: 'POST', body: JSON.stringify(body) });
  const json = await res.json();
  if (res.status !== 200) throw new Error(JSON.stringify(json));
  return json;
}

describe('workerd (Miniflare) vs Node', () => {
  it('gives identical decisions for every case', async () => {
    const engine = await loadPolicyEngine();
    for (const c of decisionCases()) {
      engine.configure(c.config ?? {});
      const node = engine.evaluate(c.input);
      const workerd = await post('/decide', { input: c.input, config: c.config });
      expect({ case: c.name, decision: workerd }).toEqual({ case: c.name, decision: node });
    }
  });

  it('extracts identical facts from a diff (format patterns, entropy, fingerprints via WebCrypto)', async () => {
    const f = new Fakes(3);
    const diff = [
      'diff --git a/app.env b/app.env',
      'new file mode 100644',
      '--- /dev/null',
      '+++ b/app.env',
      '@@ -0,0 +1,3 @@',
      `+AWS_ACCESS_KEY_ID=${p('AK', 'IA', f.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16))}`,
      `+DB_PASSWORD=${f.password(20)}`,
      `+STRIPE=${p('sk', '_live_', f.chars(ALNUM, 24))} # TODO move`,
      '',
    ].join('\n');
    const scanner = combineScanners(patternScanner(), entropyScanner());
    const node = await changeFromDiff(diff, { origin: 'llm', scanner });
    expect(node.findings).toHaveLength(3);
    expect(await post('/facts', { diff, origin: 'llm' })).toEqual(node);
  });

  it('reports a malformed diff from inside workerd too', async () => {
    await expect(post('/facts', { diff: '@@ -1 +1 @@\n+x\n' })).rejects.toThrow(
      /line 1: hunk header before any/,
    );
  });
});
