/**
 * `autocode sync plan|run|rollback`: the sync action's use case from a terminal. `plan` is a dry run (zero
 * writes) printing the plan per target; `run` syncs; `rollback` undoes the last sync (or restores the files as
 * synced from `--to <source-sha>`) in one target or all of them. Auth: `--token`/GITHUB_TOKEN, or the App
 * (`--app-id`, `--app-private-key-file`, `--installation-id`). Exit 0 ok, 1 a target failed, 2 bad input.
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
  readInteger,
  recordInputReader,
} from '@autocode/toolkit';
import type { SyncRunOptions } from '@autocode/action-sync';
import { assertFleetOk, readSyncOptions, reportFleet, runSync } from '@autocode/action-sync';

interface SyncFlags {
  config?: string;
  source?: string;
  sourceRepo?: string;
  target?: string[];
  to?: string;
  dryRun?: boolean;
  json?: boolean;
  concurrency?: string;
  writeSpacingMs?: string;
  token?: string;
  appId?: string;
  appPrivateKeyFile?: string;
  installationId?: string;
  apiUrl?: string;
}

function readKey(file: string | undefined): string | undefined {
  if (!file) return undefined;
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      `cannot read --app-private-key-file ${file}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

async function execute(mode: SyncRunOptions['mode'], flags: SyncFlags, dryRun: boolean): Promise<void> {
  const reporter = consoleReporter((line) => console.log(line));
  const reader = recordInputReader({
    ...flags,
    'dry-run': dryRun,
    token: flags.token ?? process.env.GITHUB_TOKEN,
    'app-private-key': readKey(flags.appPrivateKeyFile),
  });
  const options = await readSyncOptions(reader, mode);
  const apiUrl = flags.apiUrl ?? process.env.GITHUB_API_URL ?? DEFAULT_GITHUB_API;
  const octokit = createGitHubClient({
    auth: readGitHubAuth(reader, (s) => reporter.secret(s)),
    baseUrl: apiUrl,
    log: consoleLogger(),
    writeSpacingMs: readInteger(reader, 'write-spacing-ms', 1000, { min: 0, max: 60_000 }),
  });
  const result = await runSync(options, { octokit, apiUrl, log: consoleLogger() });
  if (flags.json) console.log(JSON.stringify(result, null, 2));
  else {
    reportFleet(reporter, result, mode === 'sync' ? 'autocode sync' : 'autocode sync rollback');
    await reporter.flush();
  }
  assertFleetOk(result);
}

function common(cmd: Command): Command {
  return cmd
    .option('--config <file>', 'sync config', '.sync-config.yaml')
    .requiredOption('--source <owner/repo|dir>', 'the source: a checkout directory or owner/repo to clone')
    .option('--source-repo <owner/repo>', 'owner/repo of a directory source (default: its origin remote)')
    .option('--target <owner/repo...>', 'only these targets (default: all in the config)')
    .option('--concurrency <n>', 'targets in flight at once', '4')
    .option('--json', 'print the full result as JSON')
    .option('--token <token>', 'GitHub token (default $GITHUB_TOKEN)')
    .option('--app-id <id>', 'GitHub App id (Verified commits)')
    .option('--app-private-key-file <file>', 'GitHub App private key (PEM file)')
    .option('--installation-id <id>', 'GitHub App installation id')
    .option('--api-url <url>', 'REST API root (default $GITHUB_API_URL or https://api.github.com)')
    .option('--write-spacing-ms <ms>', 'minimum spacing between content-creating requests', '1000');
}

export function registerSync(program: Command): void {
  const sync = program
    .command('sync')
    .description('sync paths of a foundation repository to target repositories as PRs');
  common(
    sync
      .command('plan')
      .description(
        'dry run: the plan per target (added, modified, deleted, conflicts, PR action); zero writes',
      ),
  ).action((flags: SyncFlags) => execute('sync', flags, true));
  common(sync.command('run').description('sync: one Verified commit and one PR per target'))
    .option('--dry-run', 'plan only (same as `sync plan`)')
    .action((flags: SyncFlags) => execute('sync', flags, !!flags.dryRun));
  common(
    sync
      .command('rollback')
      .description('undo the last sync in the targets (a restoring PR), or restore as of --to'),
  )
    .option('--to <source-sha>', 'restore the files as synced from this source commit')
    .option('--dry-run', 'show what would be restored; zero writes')
    .action((flags: SyncFlags) => execute('rollback', flags, !!flags.dryRun));
}
