/**
 * A local OIDC issuer for tests and `npm start`: RS256 keys made at start, discovery + JWKS served on
 * 127.0.0.1, and `mint()` for user tokens (roles in a claim) and GitHub Actions-style tokens (issuer
 * `<url>/actions`, claims `repository`, `repository_owner`, `run_id`). Hostile variants (expired, wrong
 * audience, `alg: none`, foreign key) are options of `mint()` so tests state what they forge.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, generateKeyPair, SignJWT } from 'jose';
import type { JWK, JWTPayload } from 'jose';

export type DevRole = 'member' | 'approver' | 'admin';

/** Users `npm start` offers; each has one role. */
export const DEV_USERS: Record<string, { sub: string; name: string; roles: DevRole[] }> = {
  admin: { sub: 'dev-admin', name: 'Ada Admin', roles: ['admin'] },
  admin2: { sub: 'dev-admin-2', name: 'Alan Admin', roles: ['admin'] },
  admin3: { sub: 'dev-admin-3', name: 'Anita Admin', roles: ['admin'] },
  approver: { sub: 'dev-approver', name: 'Aaron Approver', roles: ['approver'] },
  member: { sub: 'dev-member', name: 'Mia Member', roles: ['member'] },
};

export interface MintOptions {
  audience?: string;
  issuer?: string;
  /** Seconds from now; negative for an expired token. */
  expiresIn?: number;
  /** Produce an unsigned `alg: none` token. */
  algNone?: boolean;
  /** Sign with a key the JWKS does not publish. */
  foreignKey?: boolean;
}

export interface DevIssuer {
  url: string;
  issuer: string;
  jwksUrl: string;
  actionsIssuer: string;
  actionsJwksUrl: string;
  audience: string;
  rolesClaim: string;
  mint(claims: JWTPayload, options?: MintOptions): Promise<string>;
  mintUser(
    user: keyof typeof DEV_USERS | { sub: string; roles: string[] },
    options?: MintOptions,
  ): Promise<string>;
  mintActions(claims: { repository: string; run_id?: string }, options?: MintOptions): Promise<string>;
  close(): Promise<void>;
}

const b64url = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');

export async function startDevIssuer(
  opts: { audience?: string; actionsAudience?: string; rolesClaim?: string; port?: number } = {},
): Promise<DevIssuer> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true });
  const foreign = await generateKeyPair('RS256');
  const kid = 'dev-1';
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' };
  const server = createServer((req, res) => {
    const base = `http://${req.headers.host}`;
    const path = (req.url ?? '').split('?')[0];
    const body = (v: unknown) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(v));
    };
    if (path === '/.well-known/jwks.json' || path === '/actions/.well-known/jwks')
      return body({ keys: [jwk] });
    if (path === '/.well-known/openid-configuration') {
      return body({
        issuer: base,
        jwks_uri: `${base}/.well-known/jwks.json`,
        id_token_signing_alg_values_supported: ['RS256'],
      });
    }
    res.writeHead(404).end();
  });
  await new Promise<void>((r) => server.listen(opts.port ?? 0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const audience = opts.audience ?? 'autocode-app';
  const actionsAudience = opts.actionsAudience ?? 'autocode-edge';
  const rolesClaim = opts.rolesClaim ?? 'autocode_roles';

  async function mint(claims: JWTPayload, o: MintOptions = {}): Promise<string> {
    const now = Math.floor(Date.now() / 1000);
    const payload = {
      iat: now,
      exp: now + (o.expiresIn ?? 600),
      ...claims,
      iss: o.issuer ?? claims.iss ?? url,
      aud: o.audience ?? claims.aud ?? audience,
    };
    if (o.algNone) return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`;
    return new SignJWT(payload)
      .setProtectedHeader({ alg: 'RS256', kid, typ: 'JWT' })
      .sign(o.foreignKey ? foreign.privateKey : privateKey);
  }

  return {
    url,
    issuer: url,
    jwksUrl: `${url}/.well-known/jwks.json`,
    actionsIssuer: `${url}/actions`,
    actionsJwksUrl: `${url}/actions/.well-known/jwks`,
    audience,
    rolesClaim,
    mint,
    mintUser(user, o) {
      const u = typeof user === 'string' ? DEV_USERS[user] : { ...user, name: user.sub };
      if (!u) throw new Error(`unknown dev user ${String(user)}`);
      return mint({ sub: u.sub, preferred_username: u.name, [rolesClaim]: u.roles }, o);
    },
    mintActions(claims, o) {
      const owner = claims.repository.split('/')[0];
      return mint(
        {
          sub: `repo:${claims.repository}:ref:refs/heads/main`,
          repository: claims.repository,
          repository_owner: owner,
          run_id: claims.run_id ?? '1',
          workflow_ref: `${claims.repository}/.github/workflows/autocode.yml@refs/heads/main`,
          iss: `${url}/actions`,
          aud: actionsAudience,
        },
        o,
      );
    },
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
