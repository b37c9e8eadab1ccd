/**
 * Who is calling: the App (RS256 JWT verified with jose against the App's public key), an installation token,
 * a user token, or nobody. Also the repository access rules: no access looks like "Not Found" (GitHub never
 * confirms a private repo exists), a missing permission is 403 "Resource not accessible by integration".
 */
import { randomBytes, createPublicKey } from 'node:crypto';
import { decodeJwt, decodeProtectedHeader, errors as joseErrors, jwtVerify } from 'jose';
import { allApps, appById, appOf } from './apps.js';
import type { ForgeCore } from './core.js';
import { iso } from './core.js';
import { ForgeHttpError, badCredentials, notAccessible, notFound, requiresAuth } from './http-errors.js';
import type { InstallationRec, Permission, PermissionName, Permissions, RepoRec, TokenRec } from './types.js';

export type Actor =
  | { kind: 'anonymous' }
  | { kind: 'app'; appId: number }
  | { kind: 'installation'; token: string; rec: Extract<TokenRec, { kind: 'installation' }> }
  | { kind: 'user'; token: string; login: string };

/** GitHub: an App JWT may live at most 10 minutes; we allow 60 s of clock drift like GitHub does. */
const MAX_JWT_LIFETIME_S = 600;
const CLOCK_DRIFT_S = 60;

function parseHeader(header: string | undefined): string | null {
  if (!header) return null;
  const m = /^(token|bearer|basic)\s+(.+)$/i.exec(header.trim());
  if (!m) return null;
  const scheme = (m[1] ?? '').toLowerCase();
  const value = (m[2] ?? '').trim();
  if (scheme !== 'basic') return value;
  const decoded = Buffer.from(value, 'base64').toString('utf8');
  return decoded.slice(decoded.indexOf(':') + 1) || null;
}

/** The App a JWT claims to come from (its `iss`); the first App when the claim names none we know. */
function claimedApp(core: ForgeCore, jwt: string) {
  let iss: unknown;
  try {
    iss = decodeJwt(jwt).iss;
  } catch {
    iss = undefined;
  }
  const apps = allApps(core.store.state);
  return apps.find((a) => String(a.id) === String(iss) || a.clientId === iss) ?? apps[0];
}

async function verifyAppJwt(core: ForgeCore, jwt: string): Promise<Actor> {
  const app = claimedApp(core, jwt);
  const undecodable = new ForgeHttpError(401, 'A JSON web token could not be decoded');
  if (!app) throw undecodable;
  try {
    if (decodeProtectedHeader(jwt).alg !== 'RS256') throw undecodable;
    const { payload } = await jwtVerify(jwt, createPublicKey(app.publicKeyPem), {
      algorithms: ['RS256'],
      clockTolerance: CLOCK_DRIFT_S,
      currentDate: core.now(),
    });
    if (String(payload.iss) !== String(app.id) && payload.iss !== app.clientId) {
      throw new ForgeHttpError(401, "'Issuer' claim ('iss') must be an Integer");
    }
    if ((payload.exp ?? 0) - (payload.iat ?? 0) > MAX_JWT_LIFETIME_S + CLOCK_DRIFT_S) {
      throw new ForgeHttpError(401, "'Expiration time' claim ('exp') is too far in the future");
    }
    return { kind: 'app', appId: app.id };
  } catch (err) {
    if (err instanceof ForgeHttpError) throw err;
    if (err instanceof joseErrors.JWTExpired) {
      throw new ForgeHttpError(
        401,
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires",
      );
    }
    throw undecodable;
  }
}

export async function authenticate(core: ForgeCore, header: string | undefined): Promise<Actor> {
  const token = parseHeader(header);
  if (header && !token) throw badCredentials();
  if (!token) return { kind: 'anonymous' };
  if (/^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(token)) return verifyAppJwt(core, token);
  const rec = core.store.state.tokens[token];
  if (!rec) throw badCredentials();
  if (rec.kind === 'user') return { kind: 'user', token, login: rec.login };
  if (Date.parse(rec.expiresAt) <= core.now().getTime()) throw badCredentials();
  if (!core.store.state.installations.some((i) => i.id === rec.installationId)) throw badCredentials();
  return { kind: 'installation', token, rec };
}

/** A stable identity for rate limits and logs (never the token itself). */
export function identityOf(actor: Actor): string {
  switch (actor.kind) {
    case 'installation':
      return `installation:${actor.rec.installationId}`;
    case 'user':
      return `user:${actor.login}`;
    case 'app':
      return `app:${actor.appId}`;
    default:
      return 'anonymous';
  }
}

/** The login that authors what this actor creates (`user` on issues, PRs, reviews; webhook `sender`). */
export function actorLogin(core: ForgeCore, actor: Actor): string {
  if (actor.kind === 'user') return actor.login;
  const { state } = core.store;
  const inst =
    actor.kind === 'installation'
      ? state.installations.find((i) => i.id === actor.rec.installationId)
      : undefined;
  const app = inst ? appOf(state, inst) : actor.kind === 'app' ? appById(state, actor.appId) : state.app;
  return `${app?.slug ?? state.app?.slug ?? 'app'}[bot]`;
}

export function mintInstallationToken(
  core: ForgeCore,
  inst: InstallationRec,
  opts: { ttlMs?: number; repositories?: string[]; permissions?: Permissions } = {},
): { token: string; expiresAt: string } {
  const token = `ghs_${randomBytes(27).toString('base64url').slice(0, 36)}`;
  // GitHub reports expiry in whole seconds; round up so the token lives exactly as long as reported.
  const expiresAt = iso(
    new Date(Math.ceil((core.now().getTime() + (opts.ttlMs ?? core.tokenTtlMs)) / 1000) * 1000),
  );
  core.store.state.tokens[token] = {
    kind: 'installation',
    installationId: inst.id,
    expiresAt,
    permissions: opts.permissions ?? inst.permissions,
    ...(opts.repositories ? { repositories: opts.repositories.map((r) => r.toLowerCase()) } : {}),
  };
  core.store.save();
  return { token, expiresAt };
}

export function installationCovers(inst: InstallationRec, repo: RepoRec): boolean {
  if (inst.account.toLowerCase() !== repo.owner.toLowerCase()) return false;
  return (
    inst.selection === 'all' || inst.repositories.some((r) => r.toLowerCase() === repo.name.toLowerCase())
  );
}

function allows(granted: Permission | undefined, wanted: Permission): boolean {
  return granted === 'write' || (granted === 'read' && wanted === 'read');
}

/** Can this actor see the repository at all? (false → 404) */
export function canSee(core: ForgeCore, actor: Actor, repo: RepoRec): boolean {
  switch (actor.kind) {
    case 'installation': {
      const inst = core.store.state.installations.find((i) => i.id === actor.rec.installationId);
      if (!inst || !installationCovers(inst, repo)) return false;
      return !actor.rec.repositories || actor.rec.repositories.includes(repo.name.toLowerCase());
    }
    case 'user': {
      const user = core.store.state.users[actor.login.toLowerCase()];
      if (!user) return false;
      return !repo.private || memberOf(core, actor.login, repo.owner);
    }
    default:
      return !repo.private;
  }
}

export function memberOf(core: ForgeCore, login: string, owner: string): boolean {
  if (login.toLowerCase() === owner.toLowerCase()) return true;
  const user = core.store.state.users[login.toLowerCase()];
  if (!user || !core.store.state.orgs[owner.toLowerCase()]) return false;
  return !user.orgs || user.orgs.some((o) => o.toLowerCase() === owner.toLowerCase());
}

/** Throw GitHub's answer when the actor may not use `permission` at `level` on the repository. */
export function requireRepoAccess(
  core: ForgeCore,
  actor: Actor,
  repo: RepoRec,
  permission: PermissionName,
  level: Permission,
): void {
  if (actor.kind === 'app') throw notAccessible();
  if (!canSee(core, actor, repo)) {
    if (actor.kind === 'anonymous' && level === 'write') throw requiresAuth();
    throw notFound();
  }
  if (actor.kind === 'anonymous') {
    if (level === 'write') throw requiresAuth();
    return;
  }
  if (actor.kind === 'user') {
    if (level === 'write' && !memberOf(core, actor.login, repo.owner)) {
      throw new ForgeHttpError(403, 'Must have push access to repository');
    }
    return;
  }
  if (permission === 'metadata' && level === 'read') return;
  if (!allows(actor.rec.permissions[permission], level)) throw notAccessible();
}

/** The permissions object GitHub reports for the actor on a repository. */
export function repoPermissions(core: ForgeCore, actor: Actor, repo: RepoRec) {
  const write =
    actor.kind === 'installation'
      ? allows(actor.rec.permissions.contents, 'write')
      : actor.kind === 'user' && memberOf(core, actor.login, repo.owner);
  return { admin: write, maintain: write, push: write, triage: write, pull: true };
}

/**
 * Organization-level routes (org secrets, org hooks): the installation must be on that org and hold
 * `permission`, a user must be a member; anyone else sees "Not Found".
 */
export function requireOrgAccess(
  core: ForgeCore,
  actor: Actor,
  login: string,
  permission: PermissionName,
  level: Permission,
): string {
  const org = core.store.state.orgs[login.toLowerCase()];
  if (!org) throw notFound();
  if (actor.kind === 'anonymous') throw requiresAuth();
  if (actor.kind === 'installation') {
    const inst = core.store.state.installations.find((i) => i.id === actor.rec.installationId);
    if (inst?.account.toLowerCase() !== org.login.toLowerCase()) throw notFound();
    if (!allows(actor.rec.permissions[permission], level)) throw notAccessible();
  } else if (actor.kind !== 'user' || !memberOf(core, actor.login, org.login)) throw notFound();
  return org.login;
}
