/** Actions secrets for repository, organization and environment scopes (public key, list, get, put, delete). */
import { requireOrgAccess } from '../auth.js';
import { iso } from '../core.js';
import { ForgeHttpError, notFound, validationFailed } from '../http-errors.js';
import type { Ctx, Reply, Router } from '../router.js';
import { bodyObject, oneOf, optString, reqString } from '../body.js';
import { created, noContent, ok, paginate } from '../router.js';
import { openSealed, publicKeyFor, scopeKey } from '../secrets.js';
import type { Permission, SecretRec } from '../types.js';
import { repoFor } from './common.js';

interface Scope {
  key: string;
  kind: 'repo' | 'org' | 'env';
  /** API path of the scope, for `selected_repositories_url`. */
  path: string;
}

function orgScope(ctx: Ctx, level: Permission): Scope {
  const login = requireOrgAccess(ctx.core, ctx.actor, ctx.params.org ?? '', 'organization_secrets', level);
  return { key: scopeKey(`org:${login}`), kind: 'org', path: `/orgs/${login}` };
}

function repoScope(ctx: Ctx, level: Permission): Scope {
  const { repo } = repoFor(ctx, 'secrets', level);
  return {
    key: scopeKey(`repo:${repo.owner}/${repo.name}`),
    kind: 'repo',
    path: `/repos/${repo.owner}/${repo.name}`,
  };
}

function envScope(ctx: Ctx, level: Permission): Scope {
  const { repo } = repoFor(ctx, 'secrets', level);
  const env = ctx.params.environment_name ?? '';
  return {
    key: scopeKey(`env:${repo.owner}/${repo.name}/${env}`),
    kind: 'env',
    path: `/repos/${repo.owner}/${repo.name}/environments/${env}`,
  };
}

function secretJson(ctx: Ctx, scope: Scope, s: SecretRec) {
  const base = { name: s.name, created_at: s.createdAt, updated_at: s.updatedAt };
  if (scope.kind !== 'org') return base;
  return {
    ...base,
    visibility: s.visibility ?? 'private',
    ...(s.visibility === 'selected'
      ? {
          selected_repositories_url: `${ctx.core.apiUrl}${scope.path}/actions/secrets/${s.name}/repositories`,
        }
      : {}),
  };
}

function findSecret(ctx: Ctx, scope: Scope): SecretRec {
  const name = (ctx.params.secret_name ?? '').toUpperCase();
  const s = ctx.core.store.state.secrets[scope.key]?.find((x) => x.name === name);
  if (!s) throw notFound();
  return s;
}

function putSecret(ctx: Ctx, scope: Scope): Reply {
  const name = (ctx.params.secret_name ?? '').toUpperCase();
  // GitHub: alphanumerics and underscores, not starting with a digit or GITHUB_.
  if (!/^[A-Z_][A-Z0-9_]*$/.test(name) || name.startsWith('GITHUB_')) {
    throw validationFailed([{ resource: 'Secret', field: 'name', code: 'invalid' }]);
  }
  const body = bodyObject(ctx);
  const value = reqString(body, 'encrypted_value', 'Secret');
  const keyId = reqString(body, 'key_id', 'Secret');
  const key = publicKeyFor(ctx.core.store, scope.key);
  if (keyId !== key.keyId)
    throw new ForgeHttpError(422, 'Bad request - key_id does not match the public key');
  if (openSealed(key, value) === null) {
    throw new ForgeHttpError(422, 'Bad request - encrypted_value could not be decrypted with the public key');
  }
  const visibility = oneOf(
    optString(body, 'visibility', 'Secret'),
    ['all', 'private', 'selected'] as const,
    'visibility',
    'Secret',
  );
  if (scope.kind === 'org' && !visibility)
    throw new ForgeHttpError(422, 'Invalid request.\n\n"visibility" wasn\'t supplied.');
  const list = (ctx.core.store.state.secrets[scope.key] ??= []);
  const now = iso(ctx.core.now());
  const existing = list.find((s) => s.name === name);
  const ids = Array.isArray(body.selected_repository_ids)
    ? (body.selected_repository_ids as number[])
    : undefined;
  const fields = {
    encryptedValue: value,
    keyId,
    updatedAt: now,
    ...(visibility ? { visibility } : {}),
    ...(ids ? { selectedRepositoryIds: ids } : {}),
  };
  if (existing) Object.assign(existing, fields);
  else list.push({ name, createdAt: now, ...fields });
  ctx.core.store.save();
  return existing ? noContent : created({});
}

function registerScope(r: Router, base: string, resolve: (ctx: Ctx, level: Permission) => Scope): void {
  r.add('GET', `${base}/secrets/public-key`, (ctx) => {
    const rec = publicKeyFor(ctx.core.store, resolve(ctx, 'read').key);
    return ok({ key_id: rec.keyId, key: rec.publicKey });
  });
  r.add('GET', `${base}/secrets`, (ctx) => {
    const scope = resolve(ctx, 'read');
    const all = ctx.core.store.state.secrets[scope.key] ?? [];
    const { page, headers } = paginate(ctx, all);
    return ok({ total_count: all.length, secrets: page.map((s) => secretJson(ctx, scope, s)) }, headers);
  });
  r.add('GET', `${base}/secrets/{secret_name}`, (ctx) => {
    const scope = resolve(ctx, 'read');
    return ok(secretJson(ctx, scope, findSecret(ctx, scope)));
  });
  r.add('PUT', `${base}/secrets/{secret_name}`, (ctx) => putSecret(ctx, resolve(ctx, 'write')));
  r.add('DELETE', `${base}/secrets/{secret_name}`, (ctx) => {
    const scope = resolve(ctx, 'write');
    const s = findSecret(ctx, scope);
    ctx.core.store.state.secrets[scope.key] = (ctx.core.store.state.secrets[scope.key] ?? []).filter(
      (x) => x !== s,
    );
    ctx.core.store.save();
    return noContent;
  });
}

export function registerSecretRoutes(r: Router): void {
  registerScope(r, '/repos/{owner}/{repo}/actions', repoScope);
  registerScope(r, '/orgs/{org}/actions', orgScope);
  registerScope(r, '/repos/{owner}/{repo}/environments/{environment_name}', envScope);
}
