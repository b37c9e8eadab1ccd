/**
 * The one way autocode talks to GitHub: an Octokit with REST methods, pagination, bounded retries for 5xx
 * (@octokit/plugin-retry) and GitHub's primary/secondary rate limits honoured (@octokit/plugin-throttling:
 * `retry-after` respected, writes serialised). Auth is a given token or a GitHub App installation whose token
 * is minted from an RS256 JWT and refreshed before it expires.
 */
import { Octokit as RestOctokit } from '@octokit/rest';
import { retry } from '@octokit/plugin-retry';
import { throttling } from '@octokit/plugin-throttling';
import { createAppAuth } from '@octokit/auth-app';
import Bottleneck from 'bottleneck/light.js';
import { AutocodeError, ErrorCodes } from './errors.js';
import type { Logger } from './logger.js';
import { silentLogger } from './logger.js';

export const GitHubOctokit = RestOctokit.plugin(retry, throttling);
export type GitHubClient = InstanceType<typeof GitHubOctokit>;

export type GitHubAuth =
  | { kind: 'token'; token: string }
  | {
      kind: 'app';
      appId: string | number;
      /** PEM, PKCS#1 or PKCS#8. */
      privateKey: string;
      installationId: number;
      /** Mint a fresh installation token when the cached one expires within this many ms (default 5 min). */
      refreshMarginMs?: number;
    };

export interface GitHubClientOptions {
  auth: GitHubAuth;
  /** REST root: https://api.github.com, https://ghe.example.com/api/v3, or the sandbox forge. */
  baseUrl?: string;
  userAgent?: string;
  /** Retries for 5xx/network errors and for rate-limit waits (default 3). */
  maxRetries?: number;
  /** Longest rate-limit wait we accept before failing, in seconds (default 120). */
  maxRateLimitWaitSeconds?: number;
  /** Minimum spacing between content-creating requests, ms (GitHub advises ≥ 1000; default 1000). */
  writeSpacingMs?: number;
  /**
   * Minimum spacing between requests that notify people (issues, comments, PRs, reviews), ms. The throttling
   * plugin uses 3000 for GitHub; defaults to 3000, or to `writeSpacingMs` when only that is given.
   */
  notificationSpacingMs?: number;
  /** Multiplier for retry waits in ms (default 1000); tests may shrink it. */
  retryAfterBaseValueMs?: number;
  log?: Logger;
  /** Clock for token refresh decisions. */
  now?: () => number;
  /** Custom fetch (e.g. to route through a proxy). */
  fetch?: typeof fetch;
}

export const DEFAULT_GITHUB_API = 'https://api.github.com';

/** Normalise a PEM given through an env var or secret where newlines were escaped. */
export function normalisePrivateKey(pem: string): string {
  const key = pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem;
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(key)) {
    throw new AutocodeError(ErrorCodes.INVALID_INPUT, 'The GitHub App private key is not a PEM private key', {
      hint: 'pass the .pem file GitHub generated for the App (it starts with "-----BEGIN RSA PRIVATE KEY-----")',
    });
  }
  return key;
}

/**
 * A token cache for @octokit/auth-app that honours each token's own `expires_at` instead of a fixed 59-minute
 * TTL, so a token is re-minted `refreshMarginMs` before GitHub expires it (and short-lived tokens work).
 */
export class ExpiryAwareTokenCache {
  private readonly entries = new Map<string, string>();
  constructor(
    private readonly refreshMarginMs: number,
    private readonly now: () => number,
  ) {}

  get(key: string): string | undefined {
    const value = this.entries.get(key);
    if (!value) return undefined;
    // auth-app stores "token|createdAt|expiresAt|…"
    const expiresAt = Date.parse(value.split('|')[2] ?? '');
    if (!Number.isFinite(expiresAt) || expiresAt - this.now() <= this.refreshMarginMs) {
      this.entries.delete(key);
      return undefined;
    }
    return value;
  }

  set(key: string, value: string): void {
    this.entries.set(key, value);
  }
}

export function createGitHubClient(options: GitHubClientOptions): GitHubClient {
  const log = options.log ?? silentLogger;
  const maxRetries = options.maxRetries ?? 3;
  const maxWait = options.maxRateLimitWaitSeconds ?? 120;
  const now = options.now ?? Date.now;
  const onLimit =
    (kind: string) =>
    (retryAfter: number, req: { method: string; url: string }, _o: unknown, retryCount: number): boolean => {
      if (retryCount < maxRetries && retryAfter <= maxWait) {
        log.warning(`GitHub ${kind} rate limit on ${req.method} ${req.url}; retrying in ${retryAfter}s`);
        return true;
      }
      log.error(
        `GitHub ${kind} rate limit on ${req.method} ${req.url}; giving up after ${retryCount} retries`,
      );
      return false;
    };

  const auth =
    options.auth.kind === 'token'
      ? { authStrategy: undefined, auth: requireToken(options.auth.token) }
      : {
          authStrategy: createAppAuth,
          auth: {
            appId: options.auth.appId,
            privateKey: normalisePrivateKey(options.auth.privateKey),
            installationId: options.auth.installationId,
            cache: new ExpiryAwareTokenCache(options.auth.refreshMarginMs ?? 5 * 60_000, now),
          },
        };

  return new GitHubOctokit({
    ...auth,
    baseUrl: (options.baseUrl ?? DEFAULT_GITHUB_API).replace(/\/+$/, ''),
    userAgent: options.userAgent ?? 'autocode',
    log: {
      debug: () => {},
      info: () => {},
      warn: (m: string) => log.warning(m),
      error: (m: string) => log.error(m),
    },
    // Retries live in the plugin's state, not `request.retries`: a per-request value makes the retry plugin
    // retry every error (401 included) immediately.
    ...(options.fetch ? { request: { fetch: options.fetch } } : {}),
    retry: { retries: maxRetries, retryAfterBaseValue: options.retryAfterBaseValueMs ?? 1000 },
    throttle: {
      onRateLimit: onLimit('primary'),
      onSecondaryRateLimit: onLimit('secondary'),
      retryAfterBaseValue: options.retryAfterBaseValueMs ?? 1000,
      // Our own write limiter so the spacing is configurable per client (plugin groups are process-global).
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeSpacingMs ?? 1000 }),
      notifications: new Bottleneck.Group({
        maxConcurrent: 1,
        minTime: options.notificationSpacingMs ?? options.writeSpacingMs ?? 3000,
      }),
    },
  });
}

function requireToken(token: string): string {
  if (!token || /\s/.test(token)) {
    throw new AutocodeError(ErrorCodes.AUTH_FAILED, 'No usable GitHub token was given', {
      hint: 'set the `token` input / GITHUB_TOKEN, or configure GitHub App credentials',
    });
  }
  return token;
}
