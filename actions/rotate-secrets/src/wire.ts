/**
 * Adapters for the plan's stores, built lazily from the action inputs: a Cloudflare client only when a
 * cloudflare-worker store exists, and an App-JWT client only for the App's own webhook (that hook can be changed
 * by its own App alone — the automation App, not the ops App the rest of the run uses).
 */
import type Cloudflare from 'cloudflare';
import { createAppAuth } from '@octokit/auth-app';
import {
  AutocodeError,
  DEFAULT_GITHUB_API,
  ErrorCodes,
  GitHubOctokit,
  normalisePrivateKey,
  readString,
} from '@autocode/toolkit';
import type { GitHubClient, InputReader, Reporter } from '@autocode/toolkit';
import { cloudflareClient, workerSecretStore } from './cloudflare.js';
import { actionsSecretStore, webhookStore } from './github.js';
import type { SecretSpec } from './plan.js';
import type { SecretStore } from './ports.js';

export function storeFactory(
  reader: InputReader,
  octokit: GitHubClient,
  reporter: Reporter,
): (spec: SecretSpec) => SecretStore[] {
  const cfToken = readString(reader, 'cloudflare-api-token');
  if (cfToken) reporter.secret(cfToken);
  let cf: Cloudflare | undefined;
  const cloudflare = () => {
    if (!cfToken) {
      throw new AutocodeError(
        ErrorCodes.INVALID_INPUT,
        'the plan has cloudflare-worker stores but cloudflare-api-token is not set',
        {
          hint: 'pass an API token with Workers Scripts:Edit on the account',
        },
      );
    }
    return (cf ??= cloudflareClient({
      apiToken: cfToken,
      baseURL: readString(reader, 'cloudflare-api-url'),
    }));
  };
  // The App's own webhook can only be changed by that App (JWT): the automation App, not the ops App.
  let appClient: GitHubClient | undefined;
  const appWebhookClient = () => {
    const appId = readString(reader, 'webhook-app-id');
    const privateKey = readString(reader, 'webhook-app-private-key');
    if (!appId || !privateKey) {
      throw new AutocodeError(
        ErrorCodes.INVALID_INPUT,
        'the plan rotates an App webhook (app: true) but webhook-app-id / webhook-app-private-key are not set',
        {
          hint: 'pass the credentials of the App whose webhook it is (its own JWT is the only way to change its hook config)',
        },
      );
    }
    reporter.secret(privateKey);
    // JWT only (no installation): /app/hook/config is an App-level endpoint.
    return (appClient ??= new GitHubOctokit({
      authStrategy: createAppAuth,
      auth: { appId, privateKey: normalisePrivateKey(privateKey) },
      baseUrl: (readString(reader, 'github-api-url') ?? DEFAULT_GITHUB_API).replace(/\/+$/, ''),
      userAgent: 'autocode',
      // One request per run: no write queue or rate-limit handling needed.
      throttle: { enabled: false },
    }));
  };
  return (spec) =>
    (spec.stores ?? []).map((s) =>
      s.type === 'github-actions'
        ? actionsSecretStore(octokit, s, spec.name)
        : s.type === 'cloudflare-worker'
          ? workerSecretStore(cloudflare(), s, spec.name)
          : webhookStore(s.app ? appWebhookClient() : octokit, s, spec.name),
    );
}
