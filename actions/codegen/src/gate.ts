/**
 * The gate: policy evaluation on the facts of the patch (files, sizes, added-line markers, secrets found by
 * the full scanner), with origin `llm` and the requester named, for operation `write`. It reads nothing the
 * model could have written: the patch is re-scanned here and the policy config comes from the base commit.
 * The codegen and policy config files are always protected paths, whatever the repository's config says.
 */
import type { ChangeFacts, Decision, PolicyConfig, PolicyEngine, SecretScanner } from '@autocode/policies';
import { changeFromDiff } from '@autocode/policies';

/** Files that steer codegen and the policy itself: a generated change may never edit them. */
export const SELF_PROTECTED = ['.github/autocode-policy.yaml', '.github/autocode-codegen.yaml'];

export interface GateOptions {
  repository: string;
  baseRef: string;
  requester: string;
  /** The repository's policy config at the base commit. */
  config?: PolicyConfig;
  killSwitch?: { active: boolean; reason?: string };
}

export interface GateDeps {
  engine: PolicyEngine;
  scanner: SecretScanner;
}

export interface GateResult {
  decision: Decision;
  facts: ChangeFacts;
}

export function gateConfig(config: PolicyConfig = {}): PolicyConfig {
  const patterns = config.protected_paths?.patterns;
  return {
    ...config,
    protected_paths: {
      ...config.protected_paths,
      // Keep the bundle's defaults when the repo lists none (an explicit list replaces them).
      ...(patterns ? { patterns: [...new Set([...patterns, ...SELF_PROTECTED])] } : {}),
      mode: config.protected_paths?.mode ?? 'deny',
    },
  };
}

export async function evaluateGate(patch: string, options: GateOptions, deps: GateDeps): Promise<GateResult> {
  const facts = await changeFromDiff(patch, {
    origin: 'llm',
    requester: options.requester,
    scanner: deps.scanner,
    source: 'patch',
  });
  deps.engine.configure(gateConfig(options.config));
  const decision = deps.engine.evaluate({
    operation: 'write',
    repository: options.repository,
    target: { ref: options.baseRef },
    change: facts,
    ...(options.killSwitch ? { kill_switch: options.killSwitch } : {}),
  });
  // The self-protected files are denied even under a config that lists its own patterns without them.
  const touched = facts.files.filter(
    (f) => SELF_PROTECTED.includes(f.path) || SELF_PROTECTED.includes(f.previous_path ?? ''),
  );
  if (
    touched.length &&
    !decision.deny.some((d) => d.rule === 'protected-paths' && touched.some((t) => t.path === d.path))
  ) {
    for (const t of touched) {
      decision.deny.push({
        rule: 'protected-paths',
        message: `${t.path} steers autocode itself and cannot be changed by codegen`,
        path: t.path,
      });
    }
    decision.allow = false;
  }
  return { decision, facts };
}
