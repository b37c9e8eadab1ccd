/**
 * `autocode codegen --repo <dir> --command "<text>"`: the codegen use case on a local directory, without
 * GitHub. Writes patch.diff, record.json and report.md (the PR body that would be opened) to --out; the
 * repository itself is never modified. `--dry-run` makes no model call: it writes the redacted prompt and the
 * token/cost estimate. Providers come from autocode.yaml (llm.providers) or AUTOCODE_LLM_PROVIDERS; `--provider`
 * picks and orders them by name or kind. Exit 0 ready, 1 not publishable (checks, edits, budget), 2 bad input.
 */
import type { Command } from 'commander';
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AutocodeError,
  ErrorCodes,
  consoleLogger,
  parseAutocodeConfig,
  readInteger,
  readList,
  recordInputReader,
} from '@autocode/toolkit';
import type { LlmProviderConfig } from '@autocode/toolkit';
import { Budget, parseChecks, parseProviders, resolveProviders, runLocal } from '@autocode/action-codegen';

interface CodegenFlags {
  repo: string;
  command: string;
  template?: string;
  provider?: string[];
  dryRun?: boolean;
  out?: string;
  config?: string;
  check?: string[];
  review?: boolean;
  maxTokens?: string;
  maxCostUsd?: string;
  contextTokens?: string;
  cache?: boolean;
  requester?: string;
}

const PROMPTS = fileURLToPath(new URL('../../../prompts', import.meta.url));

function configuredProviders(flags: CodegenFlags): {
  list: LlmProviderConfig[];
  budget: { max_tokens_per_run?: number; max_cost_usd_per_run?: number };
} {
  const file = flags.config ?? (existsSync('autocode.yaml') ? 'autocode.yaml' : undefined);
  const config = file ? parseAutocodeConfig(readFileSync(file, 'utf8'), file) : {};
  const fromEnv = process.env.AUTOCODE_LLM_PROVIDERS
    ? parseProviders(process.env.AUTOCODE_LLM_PROVIDERS, 'AUTOCODE_LLM_PROVIDERS')
    : undefined;
  const all = config.llm?.providers ?? fromEnv ?? [];
  if (!flags.provider?.length) return { list: all, budget: config.llm?.budget ?? {} };
  const picked = flags.provider.map((want) => {
    const found = all.find((p) => p.name === want) ?? all.find((p) => p.kind === want);
    if (!found) {
      throw new AutocodeError(ErrorCodes.INVALID_INPUT, `--provider ${want} is not configured`, {
        hint: `configured: ${all.map((p) => `${p.name} (${p.kind})`).join(', ') || 'none'} — see llm.providers in autocode.yaml`,
      });
    }
    return found;
  });
  return { list: picked, budget: config.llm?.budget ?? {} };
}

export function registerCodegen(program: Command): void {
  program
    .command('codegen')
    .description('turn a command into a patch and report for a local repository (no GitHub)')
    .requiredOption('--repo <dir>', 'repository directory (copied; never modified)')
    .requiredOption('--command <text>', 'what to do, in plain language')
    .option('--template <name>', 'prompt template (default: chosen from the command)')
    .option(
      '--provider <name|kind>',
      'LLM provider to use, repeatable (failover order)',
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .option('--dry-run', 'no model call: write the redacted prompt and the token/cost estimate')
    .option('--out <dir>', 'where to write patch.diff, record.json, report.md', '.autocode/codegen/latest')
    .option('--config <file>', 'autocode.yaml with llm.providers (default ./autocode.yaml)')
    .option(
      '--check <cmd>',
      'check command ("name: command"), repeatable; default from .github/autocode-codegen.yaml',
      (v: string, acc: string[] = []) => [...acc, v],
    )
    .option('--no-review', 'skip the model review pass')
    .option('--max-tokens <n>', 'per-run token budget')
    .option('--max-cost-usd <usd>', 'per-run cost budget')
    .option('--context-tokens <n>', 'token budget for the context')
    .option('--no-cache', 'do not use the response cache (~/.cache/autocode/llm)')
    .option('--requester <login>', 'who asked (recorded in the report)', process.env.USER ?? 'local')
    .action(async (flags: CodegenFlags) => {
      const reader = recordInputReader({ ...flags, check: flags.check });
      const { list, budget } = configuredProviders(flags);
      const maxCost = flags.maxCostUsd === undefined ? budget.max_cost_usd_per_run : Number(flags.maxCostUsd);
      if (maxCost !== undefined && !(maxCost > 0))
        throw new AutocodeError(ErrorCodes.INVALID_INPUT, '--max-cost-usd must be a positive number');
      const maxTokens =
        flags.maxTokens === undefined
          ? budget.max_tokens_per_run
          : readInteger(reader, 'max-tokens', 0, { min: 1 });
      const log = consoleLogger();
      const providers = resolveProviders(list, process.env, () => undefined);
      const result = await runLocal({
        repo: flags.repo,
        command: flags.command,
        ...(flags.template ? { template: flags.template } : {}),
        providers,
        dryRun: !!flags.dryRun,
        out: flags.out!,
        promptsDir: PROMPTS,
        budget: new Budget({
          ...(maxTokens ? { maxTokens } : {}),
          ...(maxCost ? { maxCostUsd: maxCost } : {}),
        }),
        ...(flags.check?.length ? { checks: parseChecks(readList(reader, 'check')) } : {}),
        ...(flags.review === false ? { review: false } : {}),
        ...(flags.contextTokens
          ? { contextTokens: readInteger(reader, 'context-tokens', 24_000, { min: 1000 }) }
          : {}),
        ...(flags.cache === false ? {} : { cacheDir: join(homedir(), '.cache/autocode/llm') }),
        requester: flags.requester!,
        log,
        now: () => new Date(),
      });
      if (result.estimate) {
        const e = result.estimate;
        console.log(
          `dry run: ≈${e.inputTokens} input tokens + up to ${e.maxOutputTokens} output (worst case $${e.worstCaseUsd.toFixed(4)}); prompt in ${join(result.out, 'prompt.md')}`,
        );
        return;
      }
      const r = result.record!;
      const t = r.llm.totals;
      console.log(
        `${r.status}: template ${r.template.name}, ${r.files.length} file(s), ${t.inputTokens}+${t.outputTokens} tokens, $${t.costUsd.toFixed(4)}`,
      );
      console.log(`patch: ${join(result.out, 'patch.diff')}  report: ${join(result.out, 'report.md')}`);
      if (r.status !== 'ready') {
        throw new AutocodeError(
          ErrorCodes.POLICY_DENIED,
          `codegen ended with ${r.status}: ${r.failure?.message ?? ''}`,
        );
      }
    });
}
