/** Repository and organization webhooks (create, list, get, update, config — secret rotation) and rulesets. */
import { requireOrgAccess } from '../auth.js';
import { iso, nodeId, repoKey } from '../core.js';
import { notFound, validationFailed } from '../http-errors.js';
import type { Ctx, Router } from '../router.js';
import { bodyObject, oneOf, optBool, optString, optStringArray, reqString } from '../body.js';
import { created, intParam, noContent, ok } from '../router.js';
import type { HookRec, Permission, RulesetRec } from '../types.js';
import { repoFor } from './common.js';

interface HookScope {
  scope: string;
  /** API path of the hook collection. */
  path: string;
  type: 'Repository' | 'Organization';
}

function repoHookScope(ctx: Ctx, level: Permission): HookScope {
  const { repo, key } = repoFor(ctx, 'repository_hooks', level);
  return { scope: `repo:${key}`, path: `/repos/${repo.owner}/${repo.name}/hooks`, type: 'Repository' };
}

function orgHookScope(ctx: Ctx, level: Permission): HookScope {
  const login = requireOrgAccess(ctx.core, ctx.actor, ctx.params.org ?? '', 'organization_hooks', level);
  return { scope: `org:${login.toLowerCase()}`, path: `/orgs/${login}/hooks`, type: 'Organization' };
}

function configJson(hook: HookRec) {
  return {
    url: hook.config.url,
    content_type: hook.config.contentType,
    insecure_ssl: hook.config.insecureSsl,
    // GitHub never returns a hook secret, only that one is set.
    ...(hook.config.secret ? { secret: '********' } : {}),
  };
}

function hookJson(ctx: Ctx, s: HookScope, hook: HookRec) {
  const url = `${ctx.core.apiUrl}${s.path}/${hook.id}`;
  return {
    type: s.type,
    id: hook.id,
    name: 'web',
    active: hook.active,
    events: hook.events,
    config: configJson(hook),
    updated_at: hook.updatedAt,
    created_at: hook.createdAt,
    url,
    ...(s.type === 'Repository' ? { test_url: `${url}/test` } : {}),
    ping_url: `${url}/pings`,
    deliveries_url: `${url}/deliveries`,
    last_response: hook.lastResponse,
  };
}

function applyConfig(hook: HookRec, raw: unknown): void {
  if (!raw || typeof raw !== 'object') return;
  const cfg = raw as Record<string, unknown>;
  hook.config.url = optString(cfg, 'url', 'Hook') ?? hook.config.url;
  hook.config.secret = optString(cfg, 'secret', 'Hook') ?? hook.config.secret;
  const type = optString(cfg, 'content_type', 'Hook');
  if (type === 'json' || type === 'form') hook.config.contentType = type;
  const ssl = cfg.insecure_ssl;
  if (ssl !== undefined) hook.config.insecureSsl = String(ssl) === '1' ? '1' : '0';
  if (!/^https?:\/\//.test(hook.config.url))
    throw validationFailed([{ resource: 'Hook', field: 'url', code: 'invalid' }]);
}

function findHook(ctx: Ctx, s: HookScope): HookRec {
  const id = intParam(ctx, 'hook_id');
  const hook = ctx.core.store.state.hooks.find((h) => h.id === id && h.scope === s.scope);
  if (!hook) throw notFound();
  return hook;
}

function registerHooks(r: Router, base: string, resolve: (ctx: Ctx, level: Permission) => HookScope): void {
  r.add('POST', base, (ctx) => {
    const s = resolve(ctx, 'write');
    const body = bodyObject(ctx);
    const now = iso(ctx.core.now());
    const hook: HookRec = {
      id: ctx.core.store.id(),
      scope: s.scope,
      active: optBool(body, 'active', 'Hook') ?? true,
      events: optStringArray(body, 'events', 'Hook') ?? ['push'],
      config: { url: '', contentType: 'form', secret: '', insecureSsl: '0' },
      createdAt: now,
      updatedAt: now,
      lastResponse: { code: null, status: 'unused', message: null },
    };
    applyConfig(hook, body.config ?? {});
    ctx.core.store.state.hooks.push(hook);
    ctx.core.store.save();
    return created(hookJson(ctx, s, hook));
  });
  r.add('GET', base, (ctx) => {
    const s = resolve(ctx, 'read');
    return ok(ctx.core.store.state.hooks.filter((h) => h.scope === s.scope).map((h) => hookJson(ctx, s, h)));
  });
  r.add('GET', `${base}/{hook_id}`, (ctx) => {
    const s = resolve(ctx, 'read');
    return ok(hookJson(ctx, s, findHook(ctx, s)));
  });
  r.add('PATCH', `${base}/{hook_id}`, (ctx) => {
    const s = resolve(ctx, 'write');
    const hook = findHook(ctx, s);
    const body = bodyObject(ctx);
    applyConfig(hook, body.config);
    hook.events = optStringArray(body, 'events', 'Hook') ?? hook.events;
    hook.active = optBool(body, 'active', 'Hook') ?? hook.active;
    hook.updatedAt = iso(ctx.core.now());
    ctx.core.store.save();
    return ok(hookJson(ctx, s, hook));
  });
  r.add('DELETE', `${base}/{hook_id}`, (ctx) => {
    const s = resolve(ctx, 'write');
    const hook = findHook(ctx, s);
    ctx.core.store.state.hooks = ctx.core.store.state.hooks.filter((h) => h !== hook);
    ctx.core.store.save();
    return noContent;
  });
  r.add('GET', `${base}/{hook_id}/config`, (ctx) => ok(configJson(findHook(ctx, resolve(ctx, 'read')))));
  r.add('PATCH', `${base}/{hook_id}/config`, (ctx) => {
    const hook = findHook(ctx, resolve(ctx, 'write'));
    applyConfig(hook, bodyObject(ctx));
    hook.updatedAt = iso(ctx.core.now());
    ctx.core.store.save();
    return ok(configJson(hook));
  });
}

function rulesetJson(ctx: Ctx, rs: RulesetRec) {
  const repo = ctx.core.store.state.repos[rs.repo]!;
  return {
    id: rs.id,
    name: rs.name,
    target: rs.target,
    source_type: 'Repository',
    source: `${repo.owner}/${repo.name}`,
    enforcement: rs.enforcement,
    bypass_actors: rs.bypassActors,
    current_user_can_bypass: 'never',
    node_id: nodeId('RepositoryRuleset', rs.id),
    _links: {
      self: { href: `${ctx.core.apiUrl}/repos/${repo.owner}/${repo.name}/rulesets/${rs.id}` },
      html: { href: `${ctx.core.url}/${repo.owner}/${repo.name}/rules/${rs.id}` },
    },
    conditions: rs.conditions,
    rules: rs.rules,
    created_at: rs.createdAt,
    updated_at: rs.updatedAt,
  };
}

function applyRuleset(rs: RulesetRec, body: Record<string, unknown>): void {
  rs.name = optString(body, 'name', 'Ruleset') ?? rs.name;
  rs.target =
    oneOf(optString(body, 'target', 'Ruleset'), ['branch', 'tag', 'push'] as const, 'target', 'Ruleset') ??
    rs.target;
  rs.enforcement =
    oneOf(
      optString(body, 'enforcement', 'Ruleset'),
      ['disabled', 'active', 'evaluate'] as const,
      'enforcement',
      'Ruleset',
    ) ?? rs.enforcement;
  if (body.conditions !== undefined) rs.conditions = body.conditions as RulesetRec['conditions'];
  if (body.bypass_actors !== undefined) rs.bypassActors = body.bypass_actors as unknown[];
  if (body.rules !== undefined) {
    if (!Array.isArray(body.rules))
      throw validationFailed([{ resource: 'Ruleset', field: 'rules', code: 'invalid' }]);
    rs.rules = body.rules as RulesetRec['rules'];
  }
}

function registerRulesets(r: Router): void {
  const base = '/repos/{owner}/{repo}/rulesets';
  const find = (ctx: Ctx, key: string) => {
    const id = intParam(ctx, 'ruleset_id');
    const rs = ctx.core.store.state.rulesets.find((x) => x.id === id && x.repo === key);
    if (!rs) throw notFound();
    return rs;
  };
  r.add('GET', base, (ctx) => {
    const { key } = repoFor(ctx, 'administration', 'read');
    return ok(ctx.core.store.state.rulesets.filter((x) => x.repo === key).map((x) => rulesetJson(ctx, x)));
  });
  r.add('POST', base, (ctx) => {
    const { repo } = repoFor(ctx, 'administration', 'write');
    const body = bodyObject(ctx);
    const now = iso(ctx.core.now());
    const rs: RulesetRec = {
      id: ctx.core.store.id(),
      repo: repoKey(repo),
      name: reqString(body, 'name', 'Ruleset'),
      target: 'branch',
      enforcement: 'disabled',
      conditions: null,
      rules: [],
      bypassActors: [],
      createdAt: now,
      updatedAt: now,
    };
    reqString(body, 'enforcement', 'Ruleset');
    applyRuleset(rs, body);
    ctx.core.store.state.rulesets.push(rs);
    ctx.core.store.save();
    return created(rulesetJson(ctx, rs));
  });
  r.add('GET', `${base}/{ruleset_id}`, (ctx) =>
    ok(rulesetJson(ctx, find(ctx, repoFor(ctx, 'administration', 'read').key))),
  );
  r.add('PUT', `${base}/{ruleset_id}`, (ctx) => {
    const rs = find(ctx, repoFor(ctx, 'administration', 'write').key);
    applyRuleset(rs, bodyObject(ctx));
    rs.updatedAt = iso(ctx.core.now());
    ctx.core.store.save();
    return ok(rulesetJson(ctx, rs));
  });
  r.add('DELETE', `${base}/{ruleset_id}`, (ctx) => {
    const rs = find(ctx, repoFor(ctx, 'administration', 'write').key);
    ctx.core.store.state.rulesets = ctx.core.store.state.rulesets.filter((x) => x !== rs);
    ctx.core.store.save();
    return noContent;
  });
}

export function registerHookRoutes(r: Router): void {
  registerHooks(r, '/repos/{owner}/{repo}/hooks', repoHookScope);
  registerHooks(r, '/orgs/{org}/hooks', orgHookScope);
  registerRulesets(r);
}
