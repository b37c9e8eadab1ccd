/**
 * A tiny Worker for the workerd test: the policy bundle imported as a module at build time (as the edge
 * Worker does), evaluated by the same engine and facts code the actions use.
 *   POST /decide {input, config?} → Decision      POST /facts {diff, origin?} → ChangeFacts
 */
import policyWasm from '../../dist/policy.wasm';
import { createPolicyEngine } from '../engine.js';
import type { PolicyEngine } from '../engine.js';
import { changeFromDiff } from '../facts.js';
import { combineScanners } from '../scan/combine.js';
import { entropyScanner } from '../scan/entropy.js';
import { patternScanner } from '../scan/patterns.js';
import type { Origin, PolicyConfig, PolicyInput } from '../types.js';

let engine: Promise<PolicyEngine> | undefined;

export default {
  async fetch(request: Request): Promise<Response> {
    const url = new URL(request.url);
    try {
      if (url.pathname === '/decide') {
        const body = (await request.json()) as { input: PolicyInput; config?: PolicyConfig };
        engine ??= createPolicyEngine(policyWasm);
        const e = await engine;
        e.configure(body.config ?? {});
        return Response.json(e.evaluate(body.input));
      }
      if (url.pathname === '/facts') {
        const body = (await request.json()) as { diff: string; origin?: Origin };
        const scanner = combineScanners(patternScanner(), entropyScanner());
        return Response.json(await changeFromDiff(body.diff, { origin: body.origin ?? 'human', scanner }));
      }
      return new Response('not found', { status: 404 });
    } catch (err) {
      return Response.json({ error: (err as Error).message }, { status: 500 });
    }
  },
};
