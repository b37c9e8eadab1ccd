/**
 * The dev login server speaks the authorization code flow with PKCE the way the app (oauth4webapi) expects,
 * and refuses what a real provider refuses: wrong verifier, reused code, foreign redirect URI, plain PKCE.
 */
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { loopbackRedirects, startDevLogin } from '../dev/login-server.js';
import type { DevLogin } from '../dev/login-server.js';

const REDIRECT = 'http://localhost:5173/';
let login: DevLogin;
const minted: { claims: Record<string, unknown>; audience: string }[] = [];

beforeAll(async () => {
  login = await startDevLogin({
    users: [{ key: 'approver', sub: 'dev-approver', name: 'Aaron Approver', roles: ['approver'] }],
    clientId: 'autocode-app',
    allowRedirect: (u) => u === REDIRECT,
    mint: async (claims, o) => {
      minted.push({ claims, audience: o.audience });
      return `jwt-for-${o.audience}`;
    },
    jwksUri: 'http://127.0.0.1:1/jwks',
    audience: 'autocode-api',
    rolesClaim: 'autocode_roles',
  });
});
afterAll(() => login.close());

const verifier = () => randomBytes(32).toString('base64url');
const s256 = (v: string) => createHash('sha256').update(v).digest('base64url');

async function authorize(params: Record<string, string>): Promise<Response> {
  return fetch(`${login.url}/authorize`, {
    method: 'POST',
    body: new URLSearchParams({
      client_id: 'autocode-app',
      redirect_uri: REDIRECT,
      response_type: 'code',
      code_challenge_method: 'S256',
      state: 'st',
      nonce: 'n1',
      user: 'approver',
      ...params,
    }),
    redirect: 'manual',
  });
}

async function codeFor(v: string): Promise<string> {
  const res = await authorize({ code_challenge: s256(v) });
  expect(res.status).toBe(302);
  const back = new URL(res.headers.get('location')!);
  expect(back.origin + back.pathname).toBe(REDIRECT);
  expect(back.searchParams.get('state')).toBe('st');
  expect(back.searchParams.get('iss')).toBe(login.url);
  return back.searchParams.get('code')!;
}

const exchange = (code: string, v: string) =>
  fetch(`${login.url}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      code_verifier: v,
      client_id: 'autocode-app',
      redirect_uri: REDIRECT,
    }),
  });

describe('dev login server', () => {
  it('publishes discovery for the code flow with S256 PKCE only', async () => {
    const d = (await (await fetch(`${login.url}/.well-known/openid-configuration`)).json()) as Record<
      string,
      unknown
    >;
    expect(d.issuer).toBe(login.url);
    expect(d.code_challenge_methods_supported).toEqual(['S256']);
    expect(d.token_endpoint_auth_methods_supported).toEqual(['none']);
  });

  it('exchanges a code once, with the matching verifier, for access and ID tokens', async () => {
    const v = verifier();
    const code = await codeFor(v);
    const res = await exchange(code, v);
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({
      access_token: 'jwt-for-autocode-api',
      id_token: 'jwt-for-autocode-app',
      token_type: 'Bearer',
    });
    expect(minted.at(-1)?.claims).toMatchObject({
      sub: 'dev-approver',
      nonce: 'n1',
      autocode_roles: ['approver'],
    });
    expect((await exchange(code, v)).status).toBe(400); // a used code is gone
  });

  it('refuses a wrong verifier, and the code is burnt by the attempt', async () => {
    const v = verifier();
    const code = await codeFor(v);
    const wrong = await exchange(code, verifier());
    expect(wrong.status).toBe(400);
    expect(((await wrong.json()) as { error: string }).error).toBe('invalid_grant');
    expect((await exchange(code, v)).status).toBe(400);
  });

  it('refuses unregistered redirect URIs and non-S256 challenges without redirecting', async () => {
    const foreign = await authorize({
      code_challenge: s256(verifier()),
      redirect_uri: 'https://evil.example/',
    });
    expect(foreign.status).toBe(400);
    expect(foreign.headers.get('location')).toBeNull();
    const plain = await authorize({ code_challenge: 'x', code_challenge_method: 'plain' });
    expect(plain.status).toBe(400);
  });

  it('loopbackRedirects accepts only the app root on loopback http', () => {
    expect(loopbackRedirects('http://localhost:8787/')).toBe(true);
    expect(loopbackRedirects('http://127.0.0.1:8787/')).toBe(true);
    expect(loopbackRedirects('http://localhost:8787/other')).toBe(false);
    expect(loopbackRedirects('https://evil.example/')).toBe(false);
  });
});
