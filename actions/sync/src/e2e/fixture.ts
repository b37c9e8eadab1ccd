/**
 * End-to-end fixture: a sandbox forge with a `foundation` source and target repositories, the App client
 * (JWT → installation token, like production), a local clone of the source (what actions/checkout gives the
 * action), and helpers for people's pushes. Writes are not spaced (writeSpacingMs: 0) so tests stay fast.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdirSync, mkdtempSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import type { GitHubClient } from '@autocode/toolkit';
import { createGitHubClient, silentLogger } from '@autocode/toolkit';
import type { Forge, SeedFile, StartForgeOptions } from '@autocode/sandbox';
import { startForge } from '@autocode/sandbox';
// Not through the package entry: the recorder loads GitHub's OpenAPI description, which only tests need.
import { recordOpenApi } from '../../../../sandbox/src/forge/openapi-check.js';
import type { OpenApiRecorder } from '../../../../sandbox/src/forge/openapi-check.js';
import { RateBudget } from '../budget.js';
import type { SyncTarget } from '../config.js';
import { parseSyncConfig, resolveTargets } from '../config.js';
import type { FleetOptions, FleetResult } from '../fleet.js';
import { runFleet } from '../fleet.js';
import { githubTargetPort } from '../github-port.js';
import { gitSource } from '../source.js';
import { rollbackTarget } from '../rollback.js';

export const OWNER = 'acme';
export const SOURCE = `${OWNER}/foundation`;

const execGit = promisify(execFile);

/** git as a person; async, because the forge serves from this same process (a sync call would deadlock). */
export async function git(cwd: string, args: string[], who = 'Alice'): Promise<string> {
  const { stdout } = await execGit('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: who,
      GIT_AUTHOR_EMAIL: `${who.toLowerCase()}@example.com`,
      GIT_COMMITTER_NAME: who,
      GIT_COMMITTER_EMAIL: `${who.toLowerCase()}@example.com`,
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: cwd,
    },
  });
  return stdout.trim();
}

export interface SyncFixture {
  forge: Forge;
  openapi: OpenApiRecorder;
  /**
   * Throw when a request the sync sent does not match GitHub's OpenAPI description. Response mismatches are the
   * forge's to fix (its own tests assert them); they are collected in `forgeMismatches`, not failed on here.
   */
  checkRequests(): void;
  forgeMismatches: string[];
  app: GitHubClient;
  /** A person's token (member of the org). */
  human: { login: string; token: string };
  /** The local checkout of the source the sync reads. */
  sourceDir: string;
  /** Commit and push files to a repository as a person; `null` deletes; returns the new head. */
  push(
    repo: string,
    files: Record<string, string | Buffer | null | { content: string | Buffer; mode: 0o755 }>,
    opts?: { branch?: string; message?: string },
  ): Promise<string>;
  /** Pull the source checkout up to date (after `push` to the source). */
  refreshSource(): Promise<string>;
  targets(yaml: string): SyncTarget[];
  sync(
    targets: SyncTarget[],
    opts?: Pick<FleetOptions, 'emit' | 'beforeWrites' | 'policy'> & { dryRun?: boolean; budget?: RateBudget },
  ): Promise<FleetResult>;
  rollback(targets: SyncTarget[], opts?: { to?: string; dryRun?: boolean }): Promise<FleetResult>;
  writes(): Record<string, number>;
  stop(): Promise<void>;
}

export async function startSyncFixture(
  seed: { source: Record<string, SeedFile>; targets: Record<string, Record<string, SeedFile>> },
  forgeOptions: StartForgeOptions = {},
): Promise<SyncFixture> {
  const forge = await startForge(forgeOptions);
  // Every exchange checked against GitHub's OpenAPI description (the forge's recorder).
  const openapi = recordOpenApi(forge);
  // The toolkit client exactly as production builds it (App JWT → installation token, retries, throttling).
  const app = createGitHubClient({
    auth: { kind: 'app', ...forge.app },
    baseUrl: forge.apiUrl,
    writeSpacingMs: 0,
    retryAfterBaseValueMs: 10,
  });
  await forge.createRepo(OWNER, 'foundation', { files: seed.source });
  for (const [name, files] of Object.entries(seed.targets)) await forge.createRepo(OWNER, name, { files });
  const human = forge.createUser('alice', { email: 'alice@example.com' });
  const work = mkdtempSync(join(tmpdir(), 'sync-e2e-'));
  const sourceDir = join(work, 'foundation');
  await git(work, ['clone', '--quiet', forge.gitUrl(OWNER, 'foundation', human.token), sourceDir]);

  const push: SyncFixture['push'] = async (repo, files, opts = {}) => {
    const dir = mkdtempSync(join(work, 'push-'));
    await git(dir, ['clone', '--quiet', forge.gitUrl(OWNER, repo, human.token), 'c']);
    const clone = join(dir, 'c');
    if (opts.branch) await git(clone, ['checkout', '--quiet', opts.branch]);
    for (const [path, value] of Object.entries(files)) {
      const abs = join(clone, path);
      if (value === null) {
        rmSync(abs, { force: true });
        continue;
      }
      mkdirSync(dirname(abs), { recursive: true });
      const isObj = typeof value === 'object' && !Buffer.isBuffer(value);
      writeFileSync(abs, isObj ? value.content : value);
      if (isObj) chmodSync(abs, value.mode);
    }
    await git(clone, ['add', '-A']);
    await git(clone, ['commit', '--quiet', '-m', opts.message ?? 'human change']);
    await git(clone, ['push', '--quiet', 'origin', 'HEAD']);
    return git(clone, ['rev-parse', 'HEAD']);
  };

  const forgeMismatches: string[] = [];
  return {
    forge,
    openapi,
    forgeMismatches,
    checkRequests() {
      const found = openapi.mismatches.splice(0);
      const line = (m: (typeof found)[number]) =>
        `${m.method} ${m.path} → ${m.status} [${m.where}] ${m.message}`;
      forgeMismatches.push(...found.filter((m) => m.where !== 'request').map(line));
      const ours = found.filter((m) => m.where === 'request');
      if (ours.length)
        throw new Error(
          `requests that do not match GitHub's OpenAPI description:\n${ours.map(line).join('\n')}`,
        );
    },
    app,
    human,
    sourceDir,
    push,
    refreshSource: () => git(sourceDir, ['pull', '--quiet', '--ff-only']),
    targets: (yaml) => resolveTargets(parseSyncConfig(yaml, '.sync-config.yaml'), SOURCE),
    async sync(targets, opts = {}) {
      const source = await gitSource(sourceDir, SOURCE);
      const budget =
        opts.budget ??
        new RateBudget({ now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
      try {
        return await runFleet({
          targets,
          source,
          portFor: (t) => githubTargetPort(app, t.repo, budget),
          budget,
          dryRun: opts.dryRun ?? false,
          runUrl: `${forge.url}/${SOURCE}/actions/runs/1`,
          log: silentLogger,
          ...(opts.policy ? { policy: opts.policy } : {}),
          ...(opts.emit ? { emit: opts.emit } : {}),
          ...(opts.beforeWrites ? { beforeWrites: opts.beforeWrites } : {}),
        });
      } finally {
        source.close();
      }
    },
    async rollback(targets, opts = {}) {
      const budget = new RateBudget({ now: Date.now, sleep: (ms) => new Promise((r) => setTimeout(r, ms)) });
      return runFleet({
        targets,
        source: {
          repo: SOURCE,
          sha: '',
          files: new Map(),
          read: () => Promise.reject(new Error('no source in a rollback')),
        },
        portFor: (t) => githubTargetPort(app, t.repo, budget),
        budget,
        dryRun: opts.dryRun ?? false,
        log: silentLogger,
        job: (target, port) =>
          rollbackTarget({
            target,
            source: SOURCE,
            port,
            budget,
            dryRun: opts.dryRun ?? false,
            ...(opts.to ? { to: opts.to } : {}),
          }),
      });
    },
    writes: () => {
      const counts = forge.countsByRoute({ writesOnly: true, kind: 'api' });
      delete counts['POST /app/installations/{installation_id}/access_tokens']; // minting a token writes nothing
      return counts;
    },
    stop: async () => {
      openapi.stop();
      await forge.stop();
    },
  };
}
