/** The App and its installations, installation tokens, users and `GET /rate_limit`. */
import { appById, installedBy } from '../apps.js';
import { canSee, identityOf, mintInstallationToken } from '../auth.js';
import { iso } from '../core.js';
import { ForgeHttpError, notFound, requiresAuth } from '../http-errors.js';
import type { Ctx, Router } from '../router.js';
import { bodyObject, optString } from '../body.js';
import { created, intParam, noContent, ok, paginate } from '../router.js';
import { appJson, installationJson, publicUser } from '../shapes/accounts.js';
import { repository } from '../shapes/repo.js';
import type { Permissions, RepoRec } from '../types.js';

function requireApp(ctx: Ctx) {
  const app = ctx.actor.kind === 'app' ? appById(ctx.core.store.state, ctx.actor.appId) : undefined;
  if (!app) throw new ForgeHttpError(401, 'A JSON web token could not be decoded');
  return app;
}

/** The calling App's installations (another App's are invisible to it, as on GitHub). */
function installationsOf(ctx: Ctx) {
  const app = requireApp(ctx);
  const { state } = ctx.core.store;
  return state.installations.filter((i) => installedBy(state, i, app));
}

function installation(ctx: Ctx, id: number) {
  const inst = installationsOf(ctx).find((i) => i.id === id);
  if (!inst) throw notFound();
  return inst;
}

function hookConfig(ctx: Ctx) {
  const hook = requireApp(ctx).webhook;
  return {
    url: hook.url,
    content_type: hook.contentType,
    insecure_ssl: '0',
    ...(hook.secret ? { secret: '********' } : {}),
  };
}

function mintAccessToken(ctx: Ctx) {
  const inst = installation(ctx, intParam(ctx, 'installation_id'));
  const body = bodyObject(ctx);
  const repos = Object.values(ctx.core.store.state.repos).filter((r) => {
    const owner = r.owner.toLowerCase() === inst.account.toLowerCase();
    return owner && (inst.selection === 'all' || inst.repositories.includes(r.name.toLowerCase()));
  });
  let narrowed: RepoRec[] | undefined;
  const names = body.repositories as unknown;
  const ids = body.repository_ids as unknown;
  if (Array.isArray(names) || Array.isArray(ids)) {
    const wanted = [...((names as string[]) ?? []), ...((ids as number[]) ?? [])];
    narrowed = wanted.map((w) => {
      const hit = repos.find((r) => r.id === w || r.name.toLowerCase() === String(w).toLowerCase());
      if (!hit) {
        throw new ForgeHttpError(
          422,
          'There is at least one repository that does not exist or is not accessible to the parent installation.',
        );
      }
      return hit;
    });
  }
  const requested = (body.permissions ?? undefined) as Permissions | undefined;
  for (const [name, level] of Object.entries(requested ?? {})) {
    const granted = inst.permissions[name as keyof Permissions];
    if (!granted || (level === 'write' && granted !== 'write')) {
      throw new ForgeHttpError(422, 'The permissions requested are not granted to this installation.');
    }
  }
  const { token, expiresAt } = mintInstallationToken(ctx.core, inst, {
    ...(narrowed ? { repositories: narrowed.map((r) => r.name) } : {}),
    ...(requested ? { permissions: requested } : {}),
  });
  return created({
    token,
    expires_at: expiresAt,
    permissions: requested ?? inst.permissions,
    repository_selection: narrowed ? 'selected' : inst.selection,
    ...(narrowed ? { repositories: narrowed.map((r) => repository(ctx.core, r)) } : {}),
  });
}

function rateLimit(ctx: Ctx) {
  const w = ctx.core.rate.peek(identityOf(ctx.actor));
  const core = { limit: w.limit, used: w.used, remaining: Math.max(w.limit - w.used, 0), reset: w.reset };
  const other = (limit: number) => ({ limit, used: 0, remaining: limit, reset: w.reset });
  return ok({
    resources: { core, search: other(30), graphql: other(5000), integration_manifest: other(5000) },
    rate: core,
  });
}

export function registerAppRoutes(r: Router): void {
  r.add('GET', '/app', (ctx) => ok(appJson(ctx.core, requireApp(ctx))));
  r.add('GET', '/app/installations', (ctx) => {
    const all = installationsOf(ctx).map((i) => installationJson(ctx.core, i));
    const { page, headers } = paginate(ctx, all);
    return ok(page, headers);
  });
  r.add('GET', '/app/installations/{installation_id}', (ctx) => {
    return ok(installationJson(ctx.core, installation(ctx, intParam(ctx, 'installation_id'))));
  });
  r.add('POST', '/app/installations/{installation_id}/access_tokens', mintAccessToken);
  r.add('GET', '/app/hook/config', (ctx) => ok(hookConfig(ctx)));
  r.add('PATCH', '/app/hook/config', (ctx) => {
    const hook = requireApp(ctx).webhook;
    const body = bodyObject(ctx);
    hook.url = optString(body, 'url', 'Hook') ?? hook.url;
    hook.secret = optString(body, 'secret', 'Hook') ?? hook.secret;
    const type = optString(body, 'content_type', 'Hook');
    if (type === 'json' || type === 'form') hook.contentType = type;
    hook.active = !!hook.url;
    ctx.core.store.save();
    return ok(hookConfig(ctx));
  });
  r.add('GET', '/orgs/{org}/installation', (ctx) => {
    const org = (ctx.params.org ?? '').toLowerCase();
    const inst = installationsOf(ctx).find((i) => i.account.toLowerCase() === org);
    if (!inst) throw notFound();
    return ok(installationJson(ctx.core, inst));
  });
  r.add('GET', '/repos/{owner}/{repo}/installation', (ctx) => {
    const repo = ctx.core.store.repo(ctx.params.owner ?? '', ctx.params.repo ?? '');
    const owner = repo?.owner.toLowerCase();
    const inst = installationsOf(ctx).find((i) => i.account.toLowerCase() === owner);
    if (!repo || !inst) throw notFound();
    return ok(installationJson(ctx.core, inst));
  });
  r.add('GET', '/installation/repositories', (ctx) => {
    if (ctx.actor.kind !== 'installation')
      throw new ForgeHttpError(403, 'This endpoint requires an installation token');
    const repos = Object.values(ctx.core.store.state.repos).filter((repo) =>
      canSee(ctx.core, ctx.actor, repo),
    );
    const { page, headers } = paginate(ctx, repos);
    const { rec } = ctx.actor;
    const inst = ctx.core.store.state.installations.find((i) => i.id === rec.installationId);
    return ok(
      {
        total_count: repos.length,
        repositories: page.map((repo) => repository(ctx.core, repo)),
        repository_selection: rec.repositories ? 'selected' : (inst?.selection ?? 'all'),
      },
      headers,
    );
  });
  r.add('DELETE', '/installation/token', (ctx) => {
    if (ctx.actor.kind !== 'installation') throw requiresAuth();
    ctx.core.store.state.tokens[ctx.actor.token] = { ...ctx.actor.rec, expiresAt: iso(new Date(0)) };
    ctx.core.store.save();
    return noContent;
  });
  r.add('GET', '/rate_limit', rateLimit);
  r.add('GET', '/user', (ctx) => {
    if (ctx.actor.kind === 'anonymous') throw requiresAuth();
    if (ctx.actor.kind !== 'user') throw new ForgeHttpError(403, 'Resource not accessible by integration');
    const user = ctx.core.store.state.users[ctx.actor.login.toLowerCase()];
    if (!user) throw notFound();
    return ok(publicUser(ctx.core, user));
  });
  r.add('GET', '/users/{username}', (ctx) => {
    const user = ctx.core.store.account(ctx.params.username ?? '');
    if (!user) throw notFound();
    return ok(publicUser(ctx.core, user));
  });
}
