/**
 * JWKS lookup cached in KV (a cache only: a miss refetches) and in isolate memory. A token whose `kid` is not in
 * the cached set triggers one refetch, so issuer key rotation works without waiting for the TTL.
 */
import { createLocalJWKSet, errors, jwtVerify } from 'jose';
import type { JSONWebKeySet, JWTPayload, JWTVerifyOptions } from 'jose';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';

const TTL_SECONDS = 600;
const memory = new Map<
  string,
  { jwks: JSONWebKeySet; at: number; keys: ReturnType<typeof createLocalJWKSet> }
>();

/** A key set for the issuer; jose caches imported keys inside it, so it is kept while the JWKS is current. */
async function keySet(
  url: string,
  kv: KVNamespace,
  fresh: boolean,
): Promise<ReturnType<typeof createLocalJWKSet>> {
  const hit = memory.get(url);
  if (!fresh && hit && Date.now() - hit.at < TTL_SECONDS * 1000) return hit.keys;
  const jwks = await fetchJwks(url, kv, fresh);
  const keys = createLocalJWKSet(jwks);
  memory.set(url, { jwks, at: Date.now(), keys });
  return keys;
}

async function fetchJwks(url: string, kv: KVNamespace, fresh: boolean): Promise<JSONWebKeySet> {
  const cacheKey = `jwks:${url}`;
  if (!fresh) {
    const cached = await kv.get<JSONWebKeySet>(cacheKey, 'json');
    if (cached) return cached;
  }
  const res = await fetch(url, { headers: { accept: 'application/json' } });
  if (!res.ok) {
    throw new AutocodeError(ErrorCodes.UPSTREAM_FAILED, `JWKS ${url} answered ${res.status}`);
  }
  const jwks = (await res.json()) as JSONWebKeySet;
  await kv.put(cacheKey, JSON.stringify(jwks), { expirationTtl: TTL_SECONDS });
  return jwks;
}

/** Verify a JWT against the issuer's JWKS; every failure is AUTH_FAILED (401). */
export async function verifyJwt(
  token: string,
  jwksUrl: string,
  kv: KVNamespace,
  options: JWTVerifyOptions,
): Promise<JWTPayload> {
  for (const fresh of [false, true]) {
    const keys = await keySet(jwksUrl, kv, fresh);
    try {
      const { payload } = await jwtVerify(token, keys, { ...options, requiredClaims: ['exp', 'sub'] });
      return payload;
    } catch (err) {
      if (!fresh && err instanceof errors.JWKSNoMatchingKey) continue;
      throw new AutocodeError(ErrorCodes.AUTH_FAILED, `invalid token: ${(err as Error).message}`, {
        cause: err,
        hint: 'sign in again to get a fresh token',
      });
    }
  }
  throw new AutocodeError(ErrorCodes.AUTH_FAILED, 'invalid token');
}

export function bearer(request: Request): string {
  const header = request.headers.get('authorization') ?? '';
  const match = /^Bearer\s+([A-Za-z0-9._~+/=-]+)$/i.exec(header);
  if (!match?.[1]) {
    throw new AutocodeError(ErrorCodes.AUTH_FAILED, 'missing bearer token', {
      hint: 'send Authorization: Bearer <OIDC token>',
    });
  }
  return match[1];
}
