/**
 * GitHub App client for the Worker: an RS256 App JWT signed with WebCrypto (via jose), installation tokens
 * cached in KV until 5 minutes before their 1-hour expiry, and a thin `request` that returns the raw Response
 * so callers decide what a 502 or a secondary rate limit means for them.
 */
import { importPKCS8, SignJWT } from 'jose';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Config } from '../env.js';
import { toPkcs8Pem } from './pem.js';

const UA = 'autocode-edge';

/** Isolate-memory copies of the KV cache (saves a KV read per dispatch while the isolate lives). */
const memo = new Map<string, { value: string; until: number }>();

async function cached(kv: KVNamespace, key: string): Promise<string | null> {
  const hit = memo.get(key);
  if (hit && hit.until > Date.now()) return hit.value;
  return kv.get(key);
}

async function remember(kv: KVNamespace, key: string, value: string, ttlSeconds: number): Promise<void> {
  memo.set(key, { value, until: Date.now() + ttlSeconds * 1000 });
  await kv.put(key, value, { expirationTtl: ttlSeconds });
}
const TIMEOUT_MS = 20_000;

/** What one App needs: the API root, its id and key, and optionally a fixed installation. */
export type GitHubAppConfig = Pick<Config['github'], 'apiUrl' | 'appId' | 'privateKey' | 'installationId'>;

export class GitHubApp {
  private key: CryptoKey | undefined;

  constructor(
    private readonly config: GitHubAppConfig,
    private readonly kv: KVNamespace,
  ) {}

  /** The App that submits reviews: the configured reviewer App, else this one. */
  static reviewer(config: Config['github'], kv: KVNamespace, publisher: GitHubApp): GitHubApp {
    return config.reviewer
      ? new GitHubApp({ apiUrl: config.apiUrl, ...config.reviewer, installationId: undefined }, kv)
      : publisher;
  }

  private async appJwt(): Promise<string> {
    this.key ??= (await importPKCS8(toPkcs8Pem(this.config.privateKey), 'RS256')) as CryptoKey;
    const now = Math.floor(Date.now() / 1000);
    // iat 60 s in the past tolerates clock drift; GitHub caps exp at 10 minutes.
    return new SignJWT({})
      .setProtectedHeader({ alg: 'RS256' })
      .setIssuer(String(this.config.appId))
      .setIssuedAt(now - 60)
      .setExpirationTime(now + 540)
      .sign(this.key);
  }

  private async installationId(repo: string): Promise<number> {
    if (this.config.installationId) return this.config.installationId;
    const cacheKey = `ghinst:${this.config.appId}:${repo.toLowerCase()}`;
    const hit = await cached(this.kv, cacheKey);
    if (hit) return Number(hit);
    const res = await this.raw('GET', `/repos/${repo}/installation`, `Bearer ${await this.appJwt()}`);
    if (!res.ok) throw upstream(res.status, `the App is not installed on ${repo}`);
    const { id } = (await res.json()) as { id: number };
    await remember(this.kv, cacheKey, String(id), 3600);
    return id;
  }

  /** Installation token for the repository's installation (KV is a cache: a miss mints a new one). */
  async token(repo: string): Promise<string> {
    const id = await this.installationId(repo);
    const cacheKey = `ghtoken:${this.config.appId}:${id}`;
    const hit = await cached(this.kv, cacheKey);
    if (hit) return hit;
    const res = await this.raw(
      'POST',
      `/app/installations/${id}/access_tokens`,
      `Bearer ${await this.appJwt()}`,
    );
    if (!res.ok) throw upstream(res.status, 'could not mint an installation token');
    const { token, expires_at } = (await res.json()) as { token: string; expires_at: string };
    const ttl = Math.floor((Date.parse(expires_at) - Date.now()) / 1000) - 300;
    if (ttl >= 60) await remember(this.kv, cacheKey, token, ttl);
    return token;
  }

  /** Authenticated request on behalf of the installation that covers `repo`. */
  async request(repo: string, method: string, path: string, body?: unknown): Promise<Response> {
    return this.raw(method, path, `token ${await this.token(repo)}`, body);
  }

  private raw(method: string, path: string, authorization: string, body?: unknown): Promise<Response> {
    return fetch(`${this.config.apiUrl}${path}`, {
      method,
      headers: {
        authorization,
        accept: 'application/vnd.github+json',
        'x-github-api-version': '2022-11-28',
        'user-agent': UA,
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  }
}

export function upstream(status: number, what: string): AutocodeError {
  if (status === 404) return new AutocodeError(ErrorCodes.NOT_FOUND, `GitHub: ${what} (404)`);
  return new AutocodeError(ErrorCodes.UPSTREAM_FAILED, `GitHub: ${what} (${status})`);
}

/** 5xx, 429 and secondary rate limits (403 with retry-after or the documented message) are worth retrying. */
export async function isRetryable(res: Response): Promise<boolean> {
  if (res.status >= 500 || res.status === 429) return true;
  if (res.status !== 403) return false;
  if (res.headers.get('retry-after') || res.headers.get('x-ratelimit-remaining') === '0') return true;
  const text = await res.clone().text();
  return /secondary rate limit/i.test(text);
}

export function retryAfterSeconds(res: Response): number | undefined {
  const v = Number(res.headers.get('retry-after'));
  if (Number.isFinite(v) && v > 0) return v;
  const reset = Number(res.headers.get('x-ratelimit-reset'));
  if (res.headers.get('x-ratelimit-remaining') === '0' && reset > 0)
    return Math.max(1, reset - Date.now() / 1000);
  return undefined;
}
