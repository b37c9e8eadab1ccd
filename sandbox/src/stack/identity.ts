/**
 * Who can sign in to the local stack. With a real OpenID provider configured (OIDC_ISSUER, …) the stack uses
 * it and never starts the development one: no development user can then reach the edge, whose tokens must
 * come from that issuer. Otherwise: the edge's development issuer (signing keys) plus the PWA's development
 * sign-in page (authorization code + PKCE, exact redirect URI of the app), offering the dev users.
 */
import { DEV_USERS, startDevIssuer } from '@autocode/edge-api/dev';
import type { DevIssuer } from '@autocode/edge-api/dev';
import { startDevLogin } from '../../../mobile/pwa/dev/login-server.js';
import type { RealIdentity } from './config.js';
import type { StackPorts } from './ports.js';

export interface SignIn {
  issuer: string;
  clientId: string;
  audience: string;
  rolesClaim: string;
  jwksUrl?: string;
  users: { key: string; name: string; roles: string[] }[];
  issuerHandle?: DevIssuer;
  stop(): Promise<void>;
}

export async function startDevSignIn(opts: {
  identity: RealIdentity | undefined;
  ports: StackPorts;
  appUrl: string;
  clientId: string;
}): Promise<SignIn> {
  const real = opts.identity;
  if (real) {
    return {
      issuer: real.issuer,
      clientId: real.clientId,
      audience: real.audience,
      rolesClaim: real.rolesClaim,
      ...(real.jwksUrl ? { jwksUrl: real.jwksUrl } : {}),
      users: [],
      stop: async () => {},
    };
  }
  const keys = await startDevIssuer({ port: opts.ports.keys, audience: opts.clientId });
  const users = Object.entries(DEV_USERS).map(([key, u]) => ({ key, ...u }));
  try {
    const login = await startDevLogin({
      users,
      clientId: opts.clientId,
      allowRedirect: (uri) => uri === `${opts.appUrl}/`,
      mint: (claims, o) => keys.mint(claims, o),
      jwksUri: keys.jwksUrl,
      audience: keys.audience,
      rolesClaim: keys.rolesClaim,
      port: opts.ports.login,
    });
    return {
      issuer: login.url,
      clientId: opts.clientId,
      audience: keys.audience,
      rolesClaim: keys.rolesClaim,
      jwksUrl: keys.jwksUrl,
      users: users.map(({ key, name, roles }) => ({ key, name, roles })),
      issuerHandle: keys,
      stop: async () => {
        await login.close();
        await keys.close();
      },
    };
  } catch (err) {
    await keys.close();
    throw err;
  }
}
