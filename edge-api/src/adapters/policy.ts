/**
 * The edge policy: the compiled Rego bundle (policies/dist/policy.wasm, imported as a module at build time
 * because workerd forbids compiling wasm from bytes) together with the built-in edge rules. The bundle decides
 * what it knows about (the kill switch for automation writes); the built-in rules add what only the edge knows
 * (role, allowed owners, today's budget). Both must allow. The engine is loaded once per isolate and only by
 * routes that need a decision, so a broken bundle fails those routes closed without taking /health down.
 */
import policyWasm from '@autocode/policies/dist/policy.wasm';
import { createPolicyEngine } from '@autocode/policies';
import type { PolicyEngine, PolicyInput } from '@autocode/policies';
import type { EdgeDecision, EdgePolicy, EdgePolicyInput } from '../domain/policy.js';
import { evaluateBuiltin } from '../domain/policy.js';

let engine: Promise<PolicyEngine> | undefined;

/** The slim bundle input for a command: an automation write with no change yet, plus the kill switch. */
export function bundleInput(input: EdgePolicyInput): PolicyInput {
  return {
    operation: 'write',
    repository: input.repo_owner,
    change: {
      origin: input.command === 'codegen' ? 'llm' : 'automation',
      files: [],
      totals: { files: 0, additions: 0, deletions: 0, bytes: 0 },
      markers: [],
      findings: [],
    },
    kill_switch: { active: input.kill_switch.active },
  };
}

export function combine(
  builtin: EdgeDecision,
  bundleDeny: { rule: string; message: string }[],
): EdgeDecision {
  const killed = builtin.killed || bundleDeny.some((d) => d.rule === 'kill-switch');
  const reasons = [...new Set([...builtin.reasons, ...bundleDeny.map((d) => `${d.rule}: ${d.message}`)])];
  return { allow: builtin.allow && bundleDeny.length === 0, killed, reasons };
}

export async function loadPolicy(): Promise<EdgePolicy> {
  engine ??= createPolicyEngine(policyWasm);
  const loaded = await engine.catch((err: unknown) => {
    engine = undefined; // retry on the next request instead of caching the failure
    throw err;
  });
  return {
    name: 'rego+builtin',
    evaluate(input) {
      const builtin = evaluateBuiltin(input);
      const deny = input.action === 'command' ? loaded.evaluate(bundleInput(input)).deny : [];
      return Promise.resolve(combine(builtin, deny));
    },
  };
}
