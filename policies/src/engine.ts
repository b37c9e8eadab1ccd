/**
 * The policy engine: the Rego bundle compiled to wasm, evaluated with @open-policy-agent/opa-wasm. Web APIs
 * only, so the same code runs in the actions (Node: bytes read from disk) and the edge Worker (workerd: the
 * `.wasm` imported as a `WebAssembly.Module` at build time — compiling from bytes at runtime is forbidden
 * there). Configuration becomes `data.config`; the defaults live in rego/lib.rego.
 */
import { loadPolicy } from '@open-policy-agent/opa-wasm';
import type { LoadedPolicy } from '@open-policy-agent/opa-wasm';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Decision, PolicyConfig, PolicyInput, Violation } from './types.js';

/** The named entrypoint compiled into dist/policy.wasm (see scripts/build.mjs). */
export const DECISION_ENTRYPOINT = 'autocode/decision';

/** The bundle's bytes (Node) or an already-compiled `WebAssembly.Module` (Workers). */
export type PolicyWasm = Parameters<typeof loadPolicy>[0];

export interface PolicyEngine {
  /** Evaluate one input. Synchronous and pure: a decision takes microseconds on a slim input. */
  evaluate(input: PolicyInput): Decision;
  /** Replace the policy config (`data.config`) for later evaluations. */
  configure(config: PolicyConfig): void;
}

/**
 * Load the bundle. `wasm` is the bytes of dist/policy.wasm (Node) or an already-compiled module (Workers).
 */
export async function createPolicyEngine(
  wasm: PolicyWasm,
  options: { config?: PolicyConfig } = {},
): Promise<PolicyEngine> {
  let policy: LoadedPolicy;
  try {
    policy = await loadPolicy(wasm);
  } catch (err) {
    throw new AutocodeError(ErrorCodes.INTERNAL, `the policy bundle could not be loaded: ${describe(err)}`, {
      cause: err,
      hint: 'rebuild it with `npm run build -w policies`',
    });
  }
  if (!(DECISION_ENTRYPOINT in (policy.entrypoints as Record<string, number>))) {
    throw new AutocodeError(
      ErrorCodes.INTERNAL,
      `the policy bundle has no ${DECISION_ENTRYPOINT} entrypoint`,
    );
  }
  const configure = (config: PolicyConfig) => policy.setData({ config });
  configure(options.config ?? {});
  return {
    configure,
    evaluate(input) {
      let resultSet: { result?: Decision }[] | null;
      try {
        resultSet = policy.evaluate(input, DECISION_ENTRYPOINT) as { result?: Decision }[] | null;
      } catch (err) {
        throw new AutocodeError(ErrorCodes.INTERNAL, `policy evaluation failed: ${describe(err)}`, {
          cause: err,
        });
      }
      const decision = resultSet?.[0]?.result;
      if (!decision) throw new AutocodeError(ErrorCodes.INTERNAL, 'policy evaluation returned no decision');
      return normalise(decision);
    },
  };
}

/** Deny/warn are Rego sets; give them one stable order (rule, path, line, message) for every runtime. */
function normalise(decision: Decision): Decision {
  return { ...decision, deny: sortViolations(decision.deny), warn: sortViolations(decision.warn) };
}

const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);

export function sortViolations(list: Violation[]): Violation[] {
  return [...list].sort(
    (a, b) =>
      cmp(a.rule, b.rule) ||
      cmp(a.path ?? '', b.path ?? '') ||
      cmp(a.line ?? 0, b.line ?? 0) ||
      cmp(a.message, b.message),
  );
}

/** The SDK throws strings as well as Errors. */
function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
