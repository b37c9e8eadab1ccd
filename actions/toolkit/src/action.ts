/**
 * The action entry's one mapping point: run the capability, and turn any error into an annotation plus
 * core.setFailed. Also builds the adapters every action shares (GitHub client, edge client) from inputs.
 */
import * as core from '@actions/core';
import { toAutocodeError } from './errors.js';
import type { GitHubAuth, GitHubClient } from './github.js';
import { createGitHubClient } from './github.js';
import type { InputReader } from './inputs.js';
import { readBoolean, readInteger, readString } from './inputs.js';
import { AutocodeError, ErrorCodes } from './errors.js';
import type { Reporter } from './report.js';
import { actionsReporter } from './report.js';
import { EdgeClient } from './edge.js';
import type { Logger } from './logger.js';

/** Run an action's main; never throws. Exit status is set through core.setFailed. */
export async function runAction(main: (reporter: Reporter) => Promise<void>): Promise<void> {
  const reporter = actionsReporter();
  try {
    await main(reporter);
  } catch (err) {
    const e = toAutocodeError(err);
    core.error(e.hint ? `${e.message}\nhint: ${e.hint}` : e.message, {
      title: `autocode ${e.code}`,
      file: e.location?.file,
      startLine: e.location?.line,
      startColumn: e.location?.column,
    });
    core.setFailed(`[${e.code}] ${e.message}`);
    try {
      core.setOutput('error-code', e.code);
    } catch {
      // GITHUB_OUTPUT missing (run outside a runner): the failure above is what matters.
    }
  } finally {
    await reporter.flush().catch(() => undefined);
  }
}

/**
 * GitHub credentials from the shared inputs: `app-id` + `app-private-key` (+ `installation-id`) for the App,
 * else `token`. Every secret is masked before use.
 */
export function readGitHubAuth(reader: InputReader, mask: (secret: string) => void): GitHubAuth {
  const appId = readString(reader, 'app-id');
  const privateKey = readString(reader, 'app-private-key');
  if (appId || privateKey) {
    if (!appId || !privateKey) {
      throw new AutocodeError(
        ErrorCodes.INVALID_INPUT,
        'GitHub App auth needs both app-id and app-private-key',
        {
          hint: 'pass both, or pass `token` instead',
        },
      );
    }
    mask(privateKey);
    return {
      kind: 'app',
      appId,
      privateKey,
      installationId: readInteger(reader, 'installation-id', 0, { min: 1 }),
    };
  }
  const token = readString(reader, 'token', { required: true });
  mask(token);
  return { kind: 'token', token };
}

/** Edge client from `edge-url` (+ `edge-audience`, `kill-switch-fail-open`); undefined when not configured. */
export function readEdgeClient(
  reader: InputReader,
  getToken: (audience: string) => Promise<string>,
  log: Logger,
): EdgeClient | undefined {
  const baseUrl = readString(reader, 'edge-url');
  if (!baseUrl) {
    log.warning('edge-url is not set: job events are not reported and the kill switch is not enforced');
    return undefined;
  }
  return new EdgeClient({
    baseUrl,
    getToken,
    audience: readString(reader, 'edge-audience', { default: 'autocode-edge' }),
    killSwitchFailOpen: readBoolean(reader, 'kill-switch-fail-open', false),
    log,
  });
}

/** The GitHub client every action builds from the shared inputs (`token`/App credentials, `github-api-url`). */
export function readGitHubClient(reader: InputReader, reporter: Reporter): GitHubClient {
  return createGitHubClient({
    auth: readGitHubAuth(reader, (s) => reporter.secret(s)),
    baseUrl: readString(reader, 'github-api-url'),
    log: reporter,
  });
}
