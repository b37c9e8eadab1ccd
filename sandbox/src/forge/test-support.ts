/**
 * Helpers for tests that drive the forge: a started forge with the OpenAPI recorder attached, the toolkit's
 * `createGitHubClient` (App auth) plus unthrottled clients for scenario tests, and a `git` runner for real
 * clones and pushes.
 */
import { afterAll, afterEach, beforeAll } from '@jest/globals';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GitHubOctokit, createGitHubClient } from '@autocode/toolkit';
import type { GitHubClient } from '@autocode/toolkit';
import type { Forge, StartForgeOptions } from './index.js';
import { startForge } from './index.js';
import type { OpenApiRecorder } from './openapi-check.js';
import { recordOpenApi } from './openapi-check.js';

export interface ForgeFixture {
  forge: Forge;
  openapi: OpenApiRecorder;
  /** The toolkit client as production builds it: App JWT → installation token, retries, throttling. */
  toolkitApp: GitHubClient;
  /** Acting as the installation with a token minted by `toolkitApp`'s JWT flow, without client-side throttling. */
  app: GitHubClient;
  /** Unthrottled client for any token (a user's, an installation's). */
  client(token: string): GitHubClient;
}

/** Fast retries and no write spacing: tests should not sleep for seconds. */
const FAST = { writeSpacingMs: 0, retryAfterBaseValueMs: 10 };

/**
 * Same Octokit class as the toolkit's, minus throttling: plugin-throttling spaces notification-triggering
 * writes (issues, comments, pull requests) 3 s apart in a process-global group that `createGitHubClient` does
 * not expose, which would make every scenario test take minutes. Retries stay on.
 */
function fastClient(baseUrl: string, token: string): GitHubClient {
  return new GitHubOctokit({
    auth: token,
    baseUrl,
    throttle: { enabled: false, onRateLimit: () => false, onSecondaryRateLimit: () => false },
    retry: { retryAfterBaseValue: 10 },
    // Expected 4xx answers are part of the scenarios; Octokit's default logger would print each one.
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} },
  });
}

export async function startForgeFixture(options: StartForgeOptions = {}): Promise<ForgeFixture> {
  const forge = await startForge(options);
  const openapi = recordOpenApi(forge);
  const toolkitApp = createGitHubClient({
    auth: { kind: 'app', ...forge.app },
    baseUrl: forge.apiUrl,
    ...FAST,
  });
  const { token } = (await toolkitApp.auth({ type: 'installation' })) as { token: string };
  const client = (t: string) => fastClient(forge.apiUrl, t);
  return { forge, openapi, toolkitApp, app: client(token), client };
}

export function tempDir(prefix = 'forge-test-'): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * Run git with a fixed identity and no prompts; resolves with trimmed stdout. Always async: the forge serves
 * git from this same process, so a synchronous spawn would deadlock against it.
 */
export async function git(
  cwd: string,
  args: string[],
  identity = { name: 'Test User', email: 'test@example.com' },
): Promise<string> {
  const { stdout } = await promisify(execFile)('git', args, {
    cwd,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_TERMINAL_PROMPT: '0',
      GIT_AUTHOR_NAME: identity.name,
      GIT_AUTHOR_EMAIL: identity.email,
      GIT_COMMITTER_NAME: identity.name,
      GIT_COMMITTER_EMAIL: identity.email,
      GIT_CONFIG_NOSYSTEM: '1',
      HOME: cwd,
    },
  });
  return stdout.trim();
}

/**
 * Jest wiring for a test file: start a forge fixture (then `setup`) before all tests, clear faults and fail
 * each test on an OpenAPI mismatch after it, stop the forge after all. The returned object is filled in by
 * `beforeAll`, so read its fields inside tests.
 */
export function useForgeFixture(
  setup: (fx: ForgeFixture) => Promise<void> = async () => {},
  options: StartForgeOptions = {},
): ForgeFixture {
  const fx = {} as ForgeFixture;
  beforeAll(async () => {
    Object.assign(fx, await startForgeFixture(options));
    await setup(fx);
  });
  afterEach(() => {
    fx.forge.faults.clear();
    fx.openapi.assertClean();
  });
  afterAll(async () => {
    fx.openapi.stop();
    await fx.forge.stop();
  });
  return fx;
}
