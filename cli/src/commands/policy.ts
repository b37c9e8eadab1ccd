/**
 * `autocode policy check --diff <file|->` builds facts from a unified diff (scanned for secrets and
 * markers) and evaluates the policy bundle; `autocode policy eval --input <file|->` evaluates a prepared
 * input. Exit 0 allow (warnings included), 1 deny, 2 bad input (malformed diff/JSON, schema violation).
 */
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { text } from 'node:stream/consumers';
import { AutocodeError, ErrorCodes, readEnum, readString, recordInputReader } from '@autocode/toolkit';
import type { Decision, Origin, PolicyConfig, PolicyInput } from '@autocode/policies';
import { POLICY_CONFIG_FILE, changeFromDiff, formatDecision } from '@autocode/policies';
import {
  defaultScanner,
  loadPolicyEngine,
  parsePolicyConfig,
  parsePolicyInput,
} from '@autocode/policies/node';

interface CommonFlags {
  config?: string;
  json?: boolean;
}

async function readSource(file: string, flag: string): Promise<{ text: string; source: string }> {
  if (file === '-') return { text: await text(process.stdin), source: 'stdin' };
  try {
    return { text: readFileSync(file, 'utf8'), source: file };
  } catch (err) {
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      `cannot read ${flag} ${file}: ${(err as Error).message}`,
      {
        cause: err,
        hint: `pass a readable file, or "-" for stdin`,
      },
    );
  }
}

function readConfig(flags: CommonFlags): PolicyConfig {
  const file = flags.config ?? (existsSync(POLICY_CONFIG_FILE) ? POLICY_CONFIG_FILE : undefined);
  if (!file) return {};
  if (!existsSync(file)) {
    throw new AutocodeError(ErrorCodes.INVALID_INPUT, `policy config ${file} does not exist`, {
      hint: 'pass --config with a YAML file (see policies/README.md)',
    });
  }
  return parsePolicyConfig(readFileSync(file, 'utf8'), file);
}

async function decide(input: PolicyInput, flags: CommonFlags): Promise<void> {
  const engine = await loadPolicyEngine({ config: readConfig(flags) });
  const decision: Decision = engine.evaluate(input);
  console.log(flags.json ? JSON.stringify(decision, null, 2) : formatDecision(decision));
  if (!decision.allow) process.exitCode = 1;
}

export function registerPolicy(program: Command): void {
  const policy = program.command('policy').description('evaluate the autocode policy bundle (Rego → wasm)');

  policy
    .command('check')
    .description('scan a unified diff (secrets, TODO markers, protected paths, limits) and decide')
    .requiredOption('--diff <file|->', 'unified diff to check ("-" reads stdin)')
    .option('--author <login>', 'who authored the change')
    .option('--requester <login>', 'the human who requested an AI change')
    .option('--automation', 'the change was written by automation (same as --origin automation)')
    .option('--origin <origin>', 'human | automation | llm')
    .option('--operation <operation>', 'write | merge', 'write')
    .option('--config <file>', `policy config YAML (default: ${POLICY_CONFIG_FILE} when present)`)
    .option('--json', 'print the decision as JSON')
    .action(async (flags: CommonFlags & Record<string, string | boolean | undefined>) => {
      const reader = recordInputReader(flags);
      const origin = readEnum<Origin>(
        reader,
        'origin',
        ['human', 'automation', 'llm'],
        flags.automation ? 'automation' : 'human',
      );
      const operation = readEnum(reader, 'operation', ['write', 'merge'] as const, 'write');
      const { text: diff, source } = await readSource(String(flags.diff), '--diff');
      const change = await changeFromDiff(diff, {
        source,
        origin,
        author: readString(reader, 'author'),
        requester: readString(reader, 'requester'),
        scanner: defaultScanner(),
      });
      await decide({ operation, change }, flags);
    });

  policy
    .command('eval')
    .description('evaluate a prepared policy input (JSON, see policies/README.md)')
    .requiredOption('--input <file|->', 'policy input JSON ("-" reads stdin)')
    .option('--config <file>', `policy config YAML (default: ${POLICY_CONFIG_FILE} when present)`)
    .option('--json', 'print the decision as JSON')
    .action(async (flags: CommonFlags & { input: string }) => {
      const { text: json, source } = await readSource(flags.input, '--input');
      await decide(parsePolicyInput(json, source), flags);
    });
}
