/**
 * Edge policy: may this user do this now? A small port so the decision can come from the compiled Rego bundle
 * (wasm, see adapters/policy-wasm.ts when present) or from the built-in rules below; both see the same slim
 * input. The kill switch answers 423 (KILL_SWITCH_ACTIVE), everything else denied answers 403 (POLICY_DENIED).
 */
import type { Role } from './roles.js';

export type EdgeAction = 'command' | 'approval' | 'killswitch' | 'billing';

export interface EdgePolicyInput {
  action: EdgeAction;
  role: Role;
  repo_owner?: string;
  /** The command asked for (codegen is LLM-authored; the others are deterministic automation). */
  command?: string;
  allowed_owners: string[];
  kill_switch: { active: boolean };
  budget: { spent_usd: number; daily_usd: number };
}

export interface EdgeDecision {
  allow: boolean;
  killed: boolean;
  reasons: string[];
}

export interface EdgePolicy {
  readonly name: string;
  evaluate(input: EdgePolicyInput): Promise<EdgeDecision>;
}

const NEEDS: Record<EdgeAction, Role[]> = {
  command: ['member', 'approver', 'admin'],
  approval: ['approver', 'admin'],
  killswitch: ['admin'],
  billing: ['admin'],
};

/** Built-in rules: the same decisions the Rego bundle makes, so the edge is never unguarded. */
export function evaluateBuiltin(input: EdgePolicyInput): EdgeDecision {
  const reasons: string[] = [];
  const halted = input.action === 'command' || input.action === 'approval';
  const killed = halted && input.kill_switch.active;
  if (killed) reasons.push('the kill switch is active');
  if (!NEEDS[input.action].includes(input.role))
    reasons.push(`role ${input.role} may not perform ${input.action}`);
  if (input.action === 'command') {
    const owner = (input.repo_owner ?? '').toLowerCase();
    if (!input.allowed_owners.includes(owner)) reasons.push(`repository owner "${owner}" is not allowed`);
    if (input.budget.spent_usd >= input.budget.daily_usd) {
      reasons.push(
        `daily LLM budget exhausted ($${input.budget.spent_usd.toFixed(2)} of $${input.budget.daily_usd.toFixed(2)})`,
      );
    }
  }
  return { allow: reasons.length === 0, killed, reasons };
}

export const builtinPolicy: EdgePolicy = {
  name: 'builtin',
  evaluate: (input) => Promise.resolve(evaluateBuiltin(input)),
};
