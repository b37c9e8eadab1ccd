/**
 * `autocode rulesets apply --config <file> [--dry-run] [--json]`: apply branch protection as code through the
 * repository rulesets API, idempotently (a repository that already matches gets no write). Auth:
 * `--token`/GITHUB_TOKEN, or the ops App (`--app-id`, `--app-private-key-file`, `--installation-id`), which
 * needs `administration: write`. Exit 0 applied (or planned), 2 bad input.
 */
import type { Command } from 'commander';
import { readFileSync } from 'node:fs';
import {
  AutocodeError,
  DEFAULT_GITHUB_API,
  ErrorCodes,
  consoleLogger,
  consoleReporter,
  createGitHubClient,
  readGitHubAuth,
  recordInputReader,
} from '@autocode/toolkit';
import { parseRulesetsConfig } from '../rulesets/config.js';
import { applyRulesets } from '../rulesets/apply.js';

interface RulesetsFlags {
  config: string;
  dryRun?: boolean;
  json?: boolean;
  token?: string;
  appId?: string;
  appPrivateKeyFile?: string;
  installationId?: string;
  apiUrl?: string;
}

function read(file: string, flag: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      `cannot read ${flag} ${file}: ${(err as Error).message}`,
      {
        cause: err,
      },
    );
  }
}

async function apply(flags: RulesetsFlags): Promise<void> {
  const config = parseRulesetsConfig(read(flags.config, '--config'), flags.config);
  const reporter = consoleReporter((line) => console.log(line));
  const reader = recordInputReader({
    ...flags,
    token: flags.token ?? process.env.GITHUB_TOKEN,
    'app-private-key': flags.appPrivateKeyFile
      ? read(flags.appPrivateKeyFile, '--app-private-key-file')
      : undefined,
  });
  const octokit = createGitHubClient({
    auth: readGitHubAuth(reader, (s) => reporter.secret(s)),
    baseUrl: flags.apiUrl ?? process.env.GITHUB_API_URL ?? DEFAULT_GITHUB_API,
    log: consoleLogger(),
  });
  const plan = await applyRulesets(octokit, config.rulesets, { dryRun: !!flags.dryRun });
  if (flags.json) {
    console.log(JSON.stringify(plan, null, 2));
    return;
  }
  const verb = (k: string) =>
    flags.dryRun
      ? ({ create: 'would create', update: 'would update' }[k] ?? k)
      : k === 'create'
        ? 'created'
        : k === 'update'
          ? 'updated'
          : k;
  reporter.table(
    `autocode rulesets${flags.dryRun ? ' (dry run: nothing written)' : ''}`,
    ['Repository', 'Ruleset', 'Result', 'Changes'],
    plan.map((a) => [a.repo, a.name, verb(a.kind), a.kind === 'unchanged' ? '' : a.changes.join(', ')]),
  );
  await reporter.flush();
}

export function registerRulesets(program: Command): void {
  const rulesets = program.command('rulesets').description('branch protection as code (repository rulesets)');
  rulesets
    .command('apply')
    .description('create or update the configured rulesets on each repository; unchanged ones are left alone')
    .requiredOption('--config <file>', 'rulesets config YAML (see infra/github/rulesets.yaml)')
    .option('--dry-run', 'show what would change; zero writes')
    .option('--json', 'print the plan as JSON')
    .option('--token <token>', 'GitHub token (default $GITHUB_TOKEN)')
    .option('--app-id <id>', 'GitHub App id (needs administration: write)')
    .option('--app-private-key-file <file>', 'GitHub App private key (PEM file)')
    .option('--installation-id <id>', 'GitHub App installation id')
    .option('--api-url <url>', 'REST API root (default $GITHUB_API_URL or https://api.github.com)')
    .action((flags: RulesetsFlags) => apply(flags));
}
