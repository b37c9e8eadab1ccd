/**
 * A development OpenID provider for the PWA's sign-in: discovery, an authorization endpoint that shows a page
 * to pick one of the dev users, and a token endpoint for the authorization code grant with PKCE (S256 only,
 * public client, single-use codes bound to client, redirect URI and challenge). Tokens are signed by an
 * injected `mint` (the edge's dev issuer), so the Worker verifies them against that issuer's JWKS. Loopback
 * only, for tests and `npm start`; never configure it next to a real identity provider.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface DevLoginUser {
  /** Short key used on the sign-in page (`admin`, `approver`, …). */
  key: string;
  sub: string;
  name: string;
  roles: string[];
}

export interface DevLoginOptions {
  users: DevLoginUser[];
  clientId: string;
  /** Whether a redirect URI may receive codes (exact URIs of the app, or a loopback predicate). */
  allowRedirect: (uri: string) => boolean;
  /** Sign a JWT: `claims` plus the given issuer, audience and lifetime. */
  mint: (
    claims: Record<string, unknown>,
    opts: { issuer: string; audience: string; expiresIn: number },
  ) => Promise<string>;
  /** JWKS of the keys `mint` signs with. */
  jwksUri: string;
  /** `aud` of access tokens (the edge's OIDC_AUDIENCE). */
  audience: string;
  /** Claim carrying the roles (the edge's OIDC_ROLES_CLAIM). */
  rolesClaim: string;
  /** Access and ID token lifetime; default 900 s, the app's session timeout. */
  tokenTtlSeconds?: number;
  port?: number;
}

export interface DevLogin {
  /** Issuer URL (also the discovery base). */
  url: string;
  close(): Promise<void>;
}

interface Grant {
  clientId: string;
  redirectUri: string;
  challenge: string;
  nonce: string | undefined;
  scope: string;
  user: DevLoginUser;
  expires: number;
}

/** Codes live a minute, like most providers'. */
const CODE_TTL_MS = 60_000;

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  let body = '';
  for await (const chunk of req) {
    body += String(chunk);
    if (body.length > 16_384) throw new Error('form too large');
  }
  return new URLSearchParams(body);
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    'content-type': 'application/json',
    'cache-control': 'no-store',
    'access-control-allow-origin': '*',
    ...headers,
  });
  res.end(JSON.stringify(body));
}

const oauthError = (res: ServerResponse, status: number, error: string, description: string) =>
  send(res, status, { error, error_description: description });

function page(params: URLSearchParams, users: DevLoginUser[]): string {
  const hidden = [...params]
    .map(([k, v]) => `<input type="hidden" name="${esc(k)}" value="${esc(v)}">`)
    .join('');
  const buttons = users
    .map(
      (u) =>
        `<button name="user" value="${esc(u.key)}">${esc(u.name)} <small>(${esc(u.roles.join(', '))})</small></button>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>autocode dev sign-in</title>
<style>body{font:16px system-ui,sans-serif;margin:0;padding:24px;max-width:420px}
button{display:block;width:100%;margin:10px 0;padding:14px;font:inherit;border-radius:8px;border:1px solid #666;background:#f4f5f7;color:#111}
small{color:#444}p{color:#333}</style></head><body>
<h1>autocode development sign-in</h1>
<p>Local development identity provider. Choose who to sign in as.</p>
<form method="post" action="/authorize">${hidden}${buttons}</form></body></html>`;
}

export async function startDevLogin(opts: DevLoginOptions): Promise<DevLogin> {
  const grants = new Map<string, Grant>();
  const ttl = opts.tokenTtlSeconds ?? 900;
  let issuer = '';

  /** Validate an authorization request; the error says what is wrong (never redirects to an unknown URI). */
  function checkRequest(p: URLSearchParams): string | undefined {
    if (p.get('client_id') !== opts.clientId) return 'unknown client_id';
    const redirect = p.get('redirect_uri') ?? '';
    if (!opts.allowRedirect(redirect)) return 'redirect_uri is not registered';
    if (p.get('response_type') !== 'code') return 'only response_type=code is supported';
    if (p.get('code_challenge_method') !== 'S256' || !p.get('code_challenge'))
      return 'PKCE with S256 is required';
    return undefined;
  }

  async function authorizePost(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const p = await readForm(req);
    const problem = checkRequest(p);
    const user = opts.users.find((u) => u.key === p.get('user'));
    if (problem || !user) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end(problem ?? 'choose a user');
      return;
    }
    const code = randomBytes(24).toString('base64url');
    grants.set(code, {
      clientId: opts.clientId,
      redirectUri: p.get('redirect_uri')!,
      challenge: p.get('code_challenge')!,
      nonce: p.get('nonce') ?? undefined,
      scope: p.get('scope') ?? 'openid',
      user,
      expires: Date.now() + CODE_TTL_MS,
    });
    const back = new URL(p.get('redirect_uri')!);
    back.searchParams.set('code', code);
    back.searchParams.set('iss', issuer);
    if (p.get('state')) back.searchParams.set('state', p.get('state')!);
    res.writeHead(302, { location: back.href }).end();
  }

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const p = await readForm(req);
    if (p.get('grant_type') !== 'authorization_code') {
      return oauthError(res, 400, 'unsupported_grant_type', 'only authorization_code');
    }
    const code = p.get('code') ?? '';
    const grant = grants.get(code);
    grants.delete(code); // single use, whatever happens next
    const verifier = p.get('code_verifier') ?? '';
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    if (
      !grant ||
      grant.expires < Date.now() ||
      grant.clientId !== p.get('client_id') ||
      grant.redirectUri !== p.get('redirect_uri') ||
      grant.challenge !== challenge
    ) {
      return oauthError(
        res,
        400,
        'invalid_grant',
        'code unknown, used, expired, or not bound to this request',
      );
    }
    const { user } = grant;
    const profile = { sub: user.sub, name: user.name, preferred_username: user.name };
    const access = await opts.mint(
      { ...profile, [opts.rolesClaim]: user.roles, scope: grant.scope, client_id: opts.clientId },
      { issuer, audience: opts.audience, expiresIn: ttl },
    );
    const id = await opts.mint(
      { ...profile, [opts.rolesClaim]: user.roles, ...(grant.nonce ? { nonce: grant.nonce } : {}) },
      { issuer, audience: opts.clientId, expiresIn: ttl },
    );
    send(res, 200, {
      access_token: access,
      token_type: 'Bearer',
      expires_in: ttl,
      id_token: id,
      scope: grant.scope,
    });
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', issuer || 'http://127.0.0.1');
    const route = `${req.method} ${url.pathname}`;
    const fail = (err: unknown) => oauthError(res, 500, 'server_error', (err as Error).message);
    if (req.method === 'OPTIONS') {
      res.writeHead(204, {
        'access-control-allow-origin': '*',
        'access-control-allow-methods': 'GET, POST',
        'access-control-allow-headers': 'content-type, accept, dpop',
      });
      return res.end();
    }
    switch (route) {
      case 'GET /favicon.ico':
        return void res.writeHead(204).end();
      case 'GET /.well-known/openid-configuration':
        return send(res, 200, {
          issuer,
          authorization_endpoint: `${issuer}/authorize`,
          token_endpoint: `${issuer}/token`,
          end_session_endpoint: `${issuer}/logout`,
          jwks_uri: opts.jwksUri,
          response_types_supported: ['code'],
          grant_types_supported: ['authorization_code'],
          code_challenge_methods_supported: ['S256'],
          token_endpoint_auth_methods_supported: ['none'],
          subject_types_supported: ['public'],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid', 'profile'],
          authorization_response_iss_parameter_supported: true,
        });
      case 'GET /authorize': {
        const problem = checkRequest(url.searchParams);
        if (problem) return void res.writeHead(400, { 'content-type': 'text/plain' }).end(problem);
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
        return res.end(page(url.searchParams, opts.users));
      }
      case 'POST /authorize':
        return void authorizePost(req, res).catch(fail);
      case 'POST /token':
        return void token(req, res).catch(fail);
      case 'GET /logout': {
        const back = url.searchParams.get('post_logout_redirect_uri');
        if (back && opts.allowRedirect(back)) return void res.writeHead(302, { location: back }).end();
        return void res.writeHead(200, { 'content-type': 'text/plain' }).end('signed out');
      }
      default:
        return oauthError(res, 404, 'not_found', route);
    }
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url: issuer,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Redirect URIs on loopback (`http://localhost:<port>/`, `http://127.0.0.1:<port>/`): enough for local use. */
export function loopbackRedirects(uri: string): boolean {
  try {
    const u = new URL(uri);
    return u.protocol === 'http:' && ['localhost', '127.0.0.1'].includes(u.hostname) && u.pathname === '/';
  } catch {
    return false;
  }
}
