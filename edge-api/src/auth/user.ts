/**
 * User authentication: OIDC bearer tokens from the app's identity provider, verified against its JWKS with an
 * issuer, audience, expiry and asymmetric-algorithm allow-list. Roles come from a configured claim and are
 * hierarchical (admin ⊇ approver ⊇ member).
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Config } from '../env.js';
import { bearer, verifyJwt } from './jwks.js';

import { ROLES } from '../domain/roles.js';
import type { Role } from '../domain/roles.js';

export { ROLES };
export type { Role };

export interface User {
  id: string;
  name: string;
  role: Role;
  deviceId: string | undefined;
  ip: string | undefined;
  userAgent: string | undefined;
}

/** Highest role named in the claim (string, space/comma separated string, or array). */
export function roleFromClaim(claim: unknown): Role | undefined {
  const names = Array.isArray(claim)
    ? claim.filter((c): c is string => typeof c === 'string')
    : typeof claim === 'string'
      ? claim.split(/[\s,]+/)
      : [];
  let best = -1;
  for (const n of names) best = Math.max(best, ROLES.indexOf(n.trim().toLowerCase() as Role));
  return best >= 0 ? ROLES[best] : undefined;
}

/** The audit log's actor fields (encrypted by the audit store before hashing). */
export function actor(user: User): {
  user_id: string;
  device_id?: string;
  ip_address?: string;
  user_agent?: string;
} {
  return { user_id: user.id, device_id: user.deviceId, ip_address: user.ip, user_agent: user.userAgent };
}

export function hasRole(user: User, needed: Role): boolean {
  return ROLES.indexOf(user.role) >= ROLES.indexOf(needed);
}

export async function authenticateUser(request: Request, config: Config, kv: KVNamespace): Promise<User> {
  const payload = await verifyJwt(bearer(request), config.oidc.jwksUrl, kv, {
    issuer: config.oidc.issuer,
    audience: config.oidc.audience,
    algorithms: config.oidc.algorithms,
    clockTolerance: 30,
  });
  const role = roleFromClaim(payload[config.oidc.rolesClaim]);
  if (!role) {
    throw new AutocodeError(
      ErrorCodes.FORBIDDEN,
      `token carries no autocode role in "${config.oidc.rolesClaim}"`,
      {
        hint: 'ask an admin to grant you the member, approver or admin role',
      },
    );
  }
  const name = [payload.preferred_username, payload.email, payload.sub].find((v) => typeof v === 'string');
  return {
    id: payload.sub as string,
    name: name as string,
    role,
    deviceId: request.headers.get('x-device-id')?.slice(0, 200) || undefined,
    ip: request.headers.get('cf-connecting-ip') ?? undefined,
    userAgent: request.headers.get('user-agent')?.slice(0, 300) ?? undefined,
  };
}

/** Role gate, plus the optional IP allow-list for admin routes. */
export function requireRole(user: User, needed: Role, config: Config): void {
  if (!hasRole(user, needed)) {
    throw new AutocodeError(
      ErrorCodes.FORBIDDEN,
      `this route needs the ${needed} role; you have ${user.role}`,
    );
  }
  if (needed === 'admin' && config.adminIpAllowlist.length > 0) {
    if (!user.ip || !config.adminIpAllowlist.includes(user.ip)) {
      throw new AutocodeError(ErrorCodes.FORBIDDEN, 'admin routes are not reachable from this address');
    }
  }
}
