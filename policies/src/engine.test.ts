import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createPolicyEngine, sortViolations } from './engine.js';
import { DEFAULT_MARKERS } from './facts.js';
import { loadPolicyEngine, readPolicyWasm } from './node.js';
import { decisionCases, typicalPullRequest } from './testing/inputs.js';
import type { Decision } from './types.js';

const rego = fileURLToPath(new URL('../rego', import.meta.url));
const opa = fileURLToPath(new URL('../../.tools/bin/opa', import.meta.url));

/** The same input through OPA's Go interpreter (`opa eval`), for a wasm-vs-interpreter cross-check. */
function opaEval(input: unknown, config: unknown, query: string): unknown {
  const r = spawnSync(
    opa,
    [
      'eval',
      '-d',
      rego,
      '--ignore',
      '*_test.rego',
      '-I',
      '-f',
      'json',
      `${query} with data.config as ${JSON.stringify(config)}`,
    ],
    { input: JSON.stringify(input), encoding: 'utf8' },
  );
  if (r.status !== 0) throw new Error(r.stderr);
  return JSON.parse(r.stdout).result[0].expressions[0].value;
}

describe('policy engine (wasm in Node)', () => {
  it('allows the typical PR and reports every rule', async () => {
    const engine = await loadPolicyEngine();
    const d = engine.evaluate(typicalPullRequest());
    expect(d).toMatchObject({ allow: true, deny: [], warn: [] });
    expect(d.rules.map((r) => r.id)).toEqual([
      'kill-switch',
      'human-approvals',
      'no-secrets',
      'required-checks',
      'no-todo-markers',
      'verified-commits',
      'protected-paths',
      'change-limits',
      'no-llm-binaries',
      'cost-approvals',
    ]);
  });

  it('denies a planted secret and a bot-only approval with rule ids and locations', async () => {
    const engine = await loadPolicyEngine();
    const d = engine.evaluate(decisionCases()[2]!.input);
    expect(d.allow).toBe(false);
    expect(d.deny.map((v) => v.rule)).toEqual(['human-approvals', 'no-secrets']);
    expect(d.deny[1]).toMatchObject({ path: 'src/feature/module-1.ts', line: 12 });
    expect(d.warn).toMatchObject([{ rule: 'no-secrets', path: 'src/feature/module-2.ts', line: 3 }]);
  });

  it('applies and replaces config through data', async () => {
    const engine = await createPolicyEngine(await readPolicyWasm(), {
      config: { approvals: { required: 2 } },
    });
    expect(engine.evaluate(typicalPullRequest()).allow).toBe(false);
    engine.configure({});
    expect(engine.evaluate(typicalPullRequest()).allow).toBe(true);
  });

  it('refuses bytes that are not a policy bundle', async () => {
    await expect(createPolicyEngine(new Uint8Array([0, 97, 115, 109]))).rejects.toMatchObject({
      code: 'INTERNAL',
    });
  });

  const haveOpa = existsSync(opa);
  (haveOpa ? it : it.skip)('gives the same decision as the Rego interpreter for every case', async () => {
    const engine = await loadPolicyEngine();
    for (const c of decisionCases()) {
      engine.configure(c.config ?? {});
      const wasm = engine.evaluate(c.input);
      const interp = opaEval(c.input, c.config ?? {}, 'data.autocode.decision') as Decision;
      expect({ name: c.name, ...wasm }).toEqual({
        name: c.name,
        ...interp,
        deny: sortViolations(interp.deny),
        warn: sortViolations(interp.warn),
      });
    }
  });

  (haveOpa ? it : it.skip)('keeps DEFAULT_MARKERS in step with rego/lib.rego', () => {
    expect(opaEval({}, {}, 'data.autocode.lib.defaults.todo_markers.markers')).toEqual(DEFAULT_MARKERS);
  });

  it('ships the bundle it was built from (policies/dist/policy.wasm)', () => {
    const wasm = readFileSync(new URL('../dist/policy.wasm', import.meta.url));
    expect(wasm.subarray(0, 4)).toEqual(Buffer.from([0, 97, 115, 109]));
  });
});
