/**
 * Node-only helpers for actions and the CLI: load the committed bundle from disk, the full scanner
 * (secretlint's recommended preset + autocode's patterns + entropy), and input/config validation (ajv, which
 * compiles validators with `new Function` and so cannot run in Workers).
 */
import { readFile } from 'node:fs/promises';
import { Ajv } from 'ajv';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import { locateIssues, parseConfig } from '@autocode/toolkit';
import type { PolicyEngine } from './engine.js';
import { createPolicyEngine } from './engine.js';
import { combineScanners } from './scan/combine.js';
import { entropyScanner } from './scan/entropy.js';
import { patternScanner } from './scan/patterns.js';
import { secretlintScanner } from './scan/secretlint.js';
import type { SecretScanner } from './scan/types.js';
import { policyConfigSchema, policyInputSchema } from './schema.js';
import type { PolicyConfig, PolicyInput } from './types.js';

export { secretlintScanner } from './scan/secretlint.js';

/** dist/policy.wasm, resolved next to this package (ncc copies it beside an action's bundle). */
export function readPolicyWasm(): Promise<Uint8Array> {
  return readFile(new URL('../dist/policy.wasm', import.meta.url));
}

export async function loadPolicyEngine(options: { config?: PolicyConfig } = {}): Promise<PolicyEngine> {
  return createPolicyEngine(await readPolicyWasm(), options);
}

/** Everything autocode scans with in Node. */
export function defaultScanner(): SecretScanner {
  return combineScanners(secretlintScanner(), patternScanner(), entropyScanner());
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validateInput = ajv.compile(policyInputSchema);

/** Parse and validate a policy input document; errors name the JSON position or the offending key. */
export function parsePolicyInput(text: string, source: string): PolicyInput {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const { line, column } = jsonErrorPosition(text, err as Error);
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      `${source} is not valid JSON at line ${line}, column ${column}: ${(err as Error).message}`,
      { cause: err, location: { file: source, line, column }, hint: 'fix the JSON syntax at that position' },
    );
  }
  if (validateInput(value)) return value as PolicyInput;
  const issues = locateIssues(text, source, validateInput.errors ?? []);
  throw new AutocodeError(
    ErrorCodes.INVALID_INPUT,
    `${source} does not match the policy input schema:\n${issues
      .map((i) => `  ${i.location.line}:${i.location.column} ${i.key}: ${i.message}`)
      .join('\n')}`,
    {
      location: issues[0]?.location,
      details: { issues },
      hint: 'see policies/README.md (input) or policyInputSchema',
    },
  );
}

/** Policy config from YAML (or JSON) text, validated against `policyConfigSchema`. */
export function parsePolicyConfig(text: string, file: string): PolicyConfig {
  return parseConfig<PolicyConfig>(text, file, policyConfigSchema);
}

/** V8 reports "… at position N" (Node 20) or "(line L column C)" (newer); map either to line/column. */
function jsonErrorPosition(text: string, err: Error): { line: number; column: number } {
  const lc = /line (\d+) column (\d+)/.exec(err.message);
  if (lc) return { line: Number(lc[1]), column: Number(lc[2]) };
  const pos = /position (\d+)/.exec(err.message);
  const offset = pos ? Number(pos[1]) : text.length;
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: (before[before.length - 1]?.length ?? 0) + 1 };
}
