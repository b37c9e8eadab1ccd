/**
 * OIDC authorization code flow with PKCE (S256) through oauth4webapi: no client secret on the device. The
 * verifier, state and nonce live in sessionStorage only between the redirect and the callback, and are removed
 * as soon as the callback runs (success or not). Loaded lazily: only the sign-in path needs it.
 */
import * as oauth from 'oauth4webapi';
import type { AppConfig } from '../config.js';
import type { Session } from './session.js';
import { jwtClaims, roleOf } from './session.js';

const PENDING = 'autocode.oidc.pending';

interface Pending {
  verifier: string;
  state: string;
  nonce: string;
  redirectUri: string;
}

/** Plain http is accepted only for a loopback development issuer. */
function httpOptions(issuer: URL): { [oauth.allowInsecureRequests]?: boolean } {
  const loopback = ['localhost', '127.0.0.1', '[::1]'].includes(issuer.hostname);
  return issuer.protocol === 'http:' && loopback ? { [oauth.allowInsecureRequests]: true } : {};
}

async function discover(cfg: AppConfig): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(cfg.oidc.issuer);
  const res = await oauth.discoveryRequest(issuer, { algorithm: 'oidc', ...httpOptions(issuer) });
  return oauth.processDiscoveryResponse(issuer, res);
}

export function redirectUri(): string {
  return `${location.origin}/`;
}

/** Start sign-in: remember the PKCE verifier, state and nonce, then leave for the identity provider. */
export async function beginLogin(cfg: AppConfig): Promise<void> {
  const as = await discover(cfg);
  if (!as.authorization_endpoint) throw new Error('the identity provider has no authorization endpoint');
  const pending: Pending = {
    verifier: oauth.generateRandomCodeVerifier(),
    state: oauth.generateRandomState(),
    nonce: oauth.generateRandomNonce(),
    redirectUri: redirectUri(),
  };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const url = new URL(as.authorization_endpoint);
  const params: Record<string, string> = {
    client_id: cfg.oidc.client_id,
    redirect_uri: pending.redirectUri,
    response_type: 'code',
    scope: cfg.oidc.scope ?? 'openid profile',
    code_challenge: await oauth.calculatePKCECodeChallenge(pending.verifier),
    code_challenge_method: 'S256',
    state: pending.state,
    nonce: pending.nonce,
  };
  if (cfg.oidc.audience) params.audience = cfg.oidc.audience;
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  location.assign(url.href);
}

/** Finish sign-in on the redirect back: check state, exchange the code with the verifier, validate the ID token. */
export async function completeLogin(cfg: AppConfig, url: URL): Promise<Session> {
  const raw = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (!raw) throw new Error('sign-in was not started from this tab; try again');
  const pending = JSON.parse(raw) as Pending;
  const as = await discover(cfg);
  const client: oauth.Client = { client_id: cfg.oidc.client_id };
  const opts = httpOptions(new URL(cfg.oidc.issuer));
  const params = oauth.validateAuthResponse(as, client, url, pending.state);
  const res = await oauth.authorizationCodeGrantRequest(
    as,
    client,
    oauth.None(),
    params,
    pending.redirectUri,
    pending.verifier,
    opts,
  );
  const tokens = await oauth.processAuthorizationCodeResponse(as, client, res, {
    expectedNonce: pending.nonce,
    requireIdToken: true,
  });
  const id = oauth.getValidatedIdTokenClaims(tokens);
  const access = jwtClaims(tokens.access_token);
  const rolesClaim = cfg.oidc.roles_claim ?? 'autocode_roles';
  const names = [id?.name, id?.preferred_username, access.preferred_username, id?.sub];
  return {
    accessToken: tokens.access_token,
    ...(tokens.id_token ? { idToken: tokens.id_token } : {}),
    expiresAt: Date.now() + (tokens.expires_in ?? 900) * 1000,
    sub: String(id?.sub ?? access.sub ?? ''),
    name: String(names.find((n) => typeof n === 'string' && n) ?? 'unknown'),
    role: roleOf(access[rolesClaim] ?? id?.[rolesClaim]),
  };
}

/** Where to send the browser to end the provider's session too (RP-initiated logout), when it offers one. */
export async function endSessionUrl(
  cfg: AppConfig,
  idToken: string | undefined,
): Promise<string | undefined> {
  const as = await discover(cfg).catch(() => undefined);
  if (!as?.end_session_endpoint) return undefined;
  const url = new URL(as.end_session_endpoint);
  url.searchParams.set('client_id', cfg.oidc.client_id);
  url.searchParams.set('post_logout_redirect_uri', redirectUri());
  if (idToken) url.searchParams.set('id_token_hint', idToken);
  return url.href;
}
