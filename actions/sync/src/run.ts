/**
 * The use case both entries call: inputs (action inputs or CLI flags, through the toolkit's reader) → typed
 * options → config, source snapshot, budget and adapters → the fleet. `main.ts` and `autocode sync` are thin
 * wrappers around `readSyncOptions` + `runSync`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { GitHubClient, InputReader, JobEvent, Logger } from '@autocode/toolkit';
import { AutocodeError, ErrorCodes, readBoolean, readInteger, readList, readString } from '@autocode/toolkit';
import type { PolicyGate } from './automerge.js';
import { RateBudget } from './budget.js';
import { SYNC_CONFIG_FILE, parseSyncConfig, resolveTargets } from './config.js';
import type { FleetResult } from './fleet.js';
import { runFleet } from './fleet.js';
import { githubTargetPort } from './github-port.js';
import { policyGate } from './policy-gate.js';
import { rollbackTarget } from './rollback.js';
import { cloneSource, localSource, repoFromRemote } from './source.js';
import type { SourceSnapshot } from './types.js';

export type SourceSpec = { kind: 'dir'; dir: string; repo: string } | { kind: 'remote'; repo: string };

export interface SyncRunOptions {
  mode: 'sync' | 'rollback';
  configFile: string;
  source: SourceSpec;
  dryRun: boolean;
  /** Only these targets (owner/repo); empty = all in the config. */
  only: string[];
  /** Rollback: restore as synced from this source commit. */
  to?: string;
  concurrency: number;
  runUrl?: string;
}

export interface SyncRunDeps {
  octokit: GitHubClient;
  /** REST root, to derive the git host for cloning a remote source. */
  apiUrl: string;
  log: Logger;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
  emit?: (event: JobEvent) => Promise<unknown>;
  beforeWrites?: () => Promise<void>;
  /** Override the policy gate (default: the wasm bundle, loaded only when a target wants auto-merge). */
  policy?: PolicyGate;
}

const REPO = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})\/[A-Za-z0-9._-]{1,100}$/;

/** Read the options from action inputs or CLI flags; `env` supplies the runner's defaults. */
export async function readSyncOptions(
  reader: InputReader,
  mode: SyncRunOptions['mode'],
  env: { workspace?: string; repository?: string; runUrl?: string } = {},
): Promise<SyncRunOptions> {
  const rawSource = readString(reader, 'source') ?? env.workspace;
  if (!rawSource)
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      `${reader.describe('source')} is required (a directory or owner/repo)`,
    );
  let source: SourceSpec;
  if (!existsSync(rawSource) && REPO.test(rawSource)) source = { kind: 'remote', repo: rawSource };
  else {
    if (!existsSync(rawSource)) {
      throw new AutocodeError(
        ErrorCodes.INVALID_INPUT,
        `${reader.describe('source')} "${rawSource}" is neither a directory nor owner/repo`,
      );
    }
    const repo = readString(reader, 'source-repo') ?? env.repository ?? (await repoFromRemote(rawSource));
    if (!repo || !REPO.test(repo)) {
      throw new AutocodeError(
        ErrorCodes.INVALID_INPUT,
        `${reader.describe('source-repo')} is required for a directory source (owner/repo)`,
        {
          hint: 'it names the sync branch (sync/<repo>) and the state file in each target',
        },
      );
    }
    source = { kind: 'dir', dir: rawSource, repo };
  }
  const to = readString(reader, 'to');
  if (to !== undefined && !/^[0-9a-f]{7,40}$/.test(to))
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      `${reader.describe('to')} must be a commit SHA (7-40 hex digits)`,
    );
  const runUrl = readString(reader, 'run-url') ?? env.runUrl;
  return {
    mode,
    configFile: readString(reader, 'config') ?? SYNC_CONFIG_FILE,
    source,
    dryRun: readBoolean(reader, 'dry-run', false),
    only: readList(reader, 'target'),
    ...(to ? { to } : {}),
    concurrency: readInteger(reader, 'concurrency', 4, { min: 1, max: 20 }),
    ...(runUrl ? { runUrl } : {}),
  };
}

/** https://api.github.com → https://github.com; https://host/api/v3 → https://host. */
export function gitBaseUrl(apiUrl: string): string {
  const u = apiUrl.replace(/\/+$/, '');
  if (/^https:\/\/api\.github\.com$/.test(u)) return 'https://github.com';
  return u.replace(/\/api\/v3$/, '');
}

function readConfigFile(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (err) {
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      `cannot read the sync config ${file}: ${(err as Error).message}`,
      {
        cause: err,
        hint: `pass --config (input \`config\`) pointing at a ${SYNC_CONFIG_FILE}`,
      },
    );
  }
}

async function installationToken(octokit: GitHubClient): Promise<string> {
  const auth = (await octokit.auth({ type: 'installation' })) as { token?: string };
  if (!auth.token) throw new AutocodeError(ErrorCodes.AUTH_FAILED, 'no token available to clone the source');
  return auth.token;
}

/** The config from the working directory, else from the source (the checkout or the clone). */
function configPath(file: string, sourceRoot: string): string {
  return isAbsolute(file) || existsSync(file) ? file : join(sourceRoot, file);
}

async function openSource(opts: SyncRunOptions, deps: SyncRunDeps) {
  if (opts.source.kind === 'dir')
    return { ...(await localSource(opts.source.dir, opts.source.repo)), dir: opts.source.dir };
  const token = await installationToken(deps.octokit);
  return cloneSource({ gitBaseUrl: gitBaseUrl(deps.apiUrl), repo: opts.source.repo, token });
}

export async function runSync(opts: SyncRunOptions, deps: SyncRunDeps): Promise<FleetResult> {
  const source = await openSource(opts, deps);
  try {
    return await runWith(source, opts, deps);
  } finally {
    if ('dispose' in source && typeof source.dispose === 'function') source.dispose();
    else if ('close' in source && typeof source.close === 'function') source.close();
  }
}

async function runWith(
  source: SourceSnapshot & { dir: string },
  opts: SyncRunOptions,
  deps: SyncRunDeps,
): Promise<FleetResult> {
  const file = configPath(opts.configFile, source.dir);
  const config = parseSyncConfig(readConfigFile(file), opts.configFile);
  let targets = resolveTargets(config, opts.source.repo);
  if (opts.only.length) {
    const wanted = new Set(opts.only.map((t) => t.toLowerCase()));
    const unknown = [...wanted].filter((w) => !targets.some((t) => t.repo.toLowerCase() === w));
    if (unknown.length) {
      throw new AutocodeError(
        ErrorCodes.INVALID_INPUT,
        `not a target in ${opts.configFile}: ${unknown.join(', ')}`,
        {
          hint: `targets there: ${targets.map((t) => t.repo).join(', ')}`,
        },
      );
    }
    targets = targets.filter((t) => wanted.has(t.repo.toLowerCase()));
  }
  const budget = new RateBudget({
    now: deps.now ?? Date.now,
    sleep: deps.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms))),
  });
  // exactOptionalPropertyTypes is off: absent options pass through as undefined.
  const common = {
    ...opts,
    ...deps,
    targets,
    portFor: (t: { repo: string }) => githubTargetPort(deps.octokit, t.repo, budget),
    budget,
  };
  if (opts.mode === 'rollback') {
    const repo = opts.source.repo;
    return runFleet({
      ...common,
      source,
      job: (target, port) =>
        rollbackTarget({
          target,
          source: repo,
          port,
          budget,
          dryRun: opts.dryRun,
          ...(opts.to ? { to: opts.to } : {}),
          ...(opts.runUrl ? { runUrl: opts.runUrl } : {}),
        }),
    });
  }
  const policy = deps.policy ?? (targets.some((t) => t.autoMerge) ? policyGate(deps.octokit) : undefined);
  return runFleet({ ...common, source, ...(policy ? { policy } : {}) });
}
