/**
 * Helpers for tests that drive the forge: a started forge with the OpenAPI recorder attached, clients built
 * with the toolkit's `createGitHubClient` (App or token auth), and a `git` runner for real clones and pushes.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createGitHubClient } from '@autocode/toolkit';
import type { GitHubClient } from '@autocode/toolkit';
import type { Forge, StartForgeOptions } from './index.js';
import { startForge } from './index.js';
import type { OpenApiRecorder } from './openapi-check.js';
import { recordOpenApi } from './openapi-check.js';

export interface ForgeFixture {
  forge: Forge;
  openapi: OpenApiRecorder;
  /** The App, authenticated as the seeded installation (JWT → installation token, like production). */
  app: GitHubClient;
  client(token: string): GitHubClient;
}

/** Fast retries and no write spacing: tests should not sleep for seconds. */
const FAST = { writeSpacingMs: 0, retryAfterBaseValueMs: 10 };

export async function startForgeFixture(options: StartForgeOptions = {}): Promise<ForgeFixture> {
  const forge = await startForge(options);
  const openapi = recordOpenApi(forge);
  const app = createGitHubClient({
    auth: {
      kind: 'app',
      appId: forge.app.appId,
      privateKey: forge.app.privateKey,
      installationId: forge.app.installationId,
    },
    baseUrl: forge.apiUrl,
    ...FAST,
  });
  const client = (token: string) =>
    createGitHubClient({ auth: { kind: 'token', token }, baseUrl: forge.apiUrl, ...FAST });
  return { forge, openapi, app, client };
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
