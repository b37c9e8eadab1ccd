/**
 * The forge's HTTP front door on loopback, GHES layout: REST under `/api/v3`, git smart HTTP at
 * `/<owner>/<repo>.git`, the Actions OIDC issuer under `/oidc`. Every request is logged (method, route
 * template, status, ms), may hit an injected fault, and API exchanges are published for the OpenAPI check.
 */
import { randomBytes } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Actor } from './auth.js';
import { authenticate, identityOf } from './auth.js';
import type { ForgeCore } from './core.js';
import { Faults } from './faults.js';
import { GIT_PATH, gitTemplate, serveGit } from './git-http.js';
import { DOCS, ForgeHttpError, secondaryRateLimit } from './http-errors.js';
import type { ContentLimiter } from './limits.js';
import type { OidcIssuer } from './oidc.js';
import type { Reply, Router } from './router.js';

export const API_PREFIX = '/api/v3';

export interface RequestLogEntry {
  method: string;
  /** GitHub path template for API routes ('/repos/{owner}/{repo}/pulls'), or the raw path when unmatched. */
  route: string;
  path: string;
  status: number;
  ms: number;
  identity: string;
  kind: 'api' | 'git' | 'oidc' | 'other';
  injected: boolean;
}

/** One REST request/response pair as it crossed the wire (for the OpenAPI check). */
export interface Exchange {
  method: string;
  path: string;
  route?: string;
  query: Record<string, string>;
  requestBody: unknown;
  status: number;
  responseHeaders: Record<string, string>;
  responseBody: unknown;
  /** True when an injected fault produced the response. */
  injected: boolean;
}

export interface ServerDeps {
  core: ForgeCore;
  router: Router;
  faults: Faults;
  oidc: OidcIssuer;
  limiter?: ContentLimiter;
  log: RequestLogEntry[];
  exchanges: ((x: Exchange) => void)[];
}

/** Writes that count toward GitHub's content-creation limit (minting tokens does not create content). */
function createsContent(method: string, route?: string): boolean {
  return (
    ['POST', 'PUT', 'PATCH'].includes(method) &&
    route !== '/app/installations/{installation_id}/access_tokens'
  );
}

async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}

function send(res: ServerResponse, reply: Reply, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = {
    'content-type': 'application/json; charset=utf-8',
    'x-github-media-type': 'github.v3; format=json',
    'x-github-api-version-selected': '2022-11-28',
    'x-github-request-id': randomBytes(8).toString('hex').toUpperCase(),
    ...extra,
    ...reply.headers,
  };
  if (reply.status === 204 || reply.body === undefined) {
    delete headers['content-type'];
    res.writeHead(reply.status, headers).end();
  } else {
    res.writeHead(reply.status, headers).end(JSON.stringify(reply.body));
  }
  return headers;
}

function errorReply(err: unknown): Reply {
  if (err instanceof ForgeHttpError) return { status: err.status, body: err.body(), headers: err.headers };
  console.error('forge: internal error', err);
  return { status: 500, body: { message: 'Server Error', documentation_url: DOCS, status: '500' } };
}

async function handleApi(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
  started: number,
) {
  const { core, router, faults } = deps;
  const method = req.method ?? 'GET';
  const path = url.pathname.slice(API_PREFIX.length) || '/';
  const match = router.match(method, path);
  const raw = await readBody(req);
  let body: unknown;
  let actor: Actor = { kind: 'anonymous' };
  let reply: Reply;
  let injected = false;
  let rateHeaders: Record<string, string> = {};
  try {
    try {
      body = raw.length ? JSON.parse(raw.toString('utf8')) : undefined;
    } catch {
      throw new ForgeHttpError(400, 'Problems parsing JSON');
    }
    const fault = faults.take(method, match.template, path);
    if (fault?.latencyMs) await sleep(fault.latencyMs);
    const injectedReply = fault && Faults.response(fault);
    if (injectedReply) {
      injected = true;
      reply = injectedReply;
    } else {
      actor = await authenticate(core, req.headers.authorization);
      const identity = identityOf(actor);
      const w = core.rate.hit(identity);
      rateHeaders = {
        'x-ratelimit-limit': String(w.limit),
        'x-ratelimit-remaining': String(Math.max(w.limit - w.used, 0)),
        'x-ratelimit-reset': String(w.reset),
        'x-ratelimit-used': String(w.used),
        'x-ratelimit-resource': 'core',
      };
      const wait = deps.limiter && createsContent(method, match.template) ? deps.limiter.take(identity) : 0;
      if (wait) throw secondaryRateLimit(wait);
      if (!match.route) throw new ForgeHttpError(404, 'Not Found');
      reply = await match.route.handler({
        core,
        method,
        path,
        params: match.params,
        query: url.searchParams,
        body,
        headers: req.headers,
        actor,
      });
    }
  } catch (err) {
    reply = errorReply(err);
  }
  const headers = send(res, reply, rateHeaders);
  const route = match.template ?? path;
  deps.log.push({
    method,
    route,
    path,
    status: reply.status,
    ms: Date.now() - started,
    identity: identityOf(actor),
    kind: 'api',
    injected,
  });
  const exchange: Exchange = {
    method,
    path,
    ...(match.template ? { route: match.template } : {}),
    query: Object.fromEntries(url.searchParams),
    requestBody: body,
    status: reply.status,
    responseHeaders: headers,
    responseBody: reply.body,
    injected,
  };
  for (const listener of deps.exchanges) listener(exchange);
}

async function handleOidc(
  deps: ServerDeps,
  req: IncomingMessage,
  res: ServerResponse,
  url: URL,
): Promise<number> {
  const path = url.pathname.slice('/oidc'.length);
  const reply = async (): Promise<Reply> => {
    if (req.method === 'GET' && path === '/.well-known/openid-configuration')
      return { status: 200, body: deps.oidc.discovery() };
    if (req.method === 'GET' && path === '/.well-known/jwks')
      return { status: 200, body: await deps.oidc.jwks() };
    if (req.method === 'GET' && path === '/token') {
      const token = /^bearer\s+(.+)$/i.exec(req.headers.authorization ?? '')?.[1] ?? '';
      const claims = deps.oidc.claimsForRequest(token);
      if (!claims) return { status: 401, body: { message: 'Bad credentials' } };
      const aud = url.searchParams.get('audience');
      return { status: 200, body: { value: await deps.oidc.mint({ ...claims, ...(aud ? { aud } : {}) }) } };
    }
    if (req.method === 'POST' && path === '/mint') {
      const claims = JSON.parse((await readBody(req)).toString('utf8') || '{}') as { repository?: unknown };
      if (typeof claims.repository !== 'string')
        return { status: 422, body: { message: '"repository" is required' } };
      return { status: 200, body: { value: await deps.oidc.mint(claims as { repository: string }) } };
    }
    return { status: 404, body: { message: 'Not Found', documentation_url: DOCS } };
  };
  const r = await reply().catch(errorReply);
  send(res, r);
  return r.status;
}

export function createForgeServer(deps: ServerDeps): Server {
  return createServer((req, res) => {
    const started = Date.now();
    const url = new URL(req.url ?? '/', 'http://forge.local');
    const method = req.method ?? 'GET';
    const done = (kind: RequestLogEntry['kind'], route: string, status: number, injected = false) =>
      deps.log.push({
        method,
        route,
        path: url.pathname,
        status,
        ms: Date.now() - started,
        identity: '',
        kind,
        injected,
      });
    const run = async () => {
      if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`)) {
        return handleApi(deps, req, res, url, started);
      }
      if (url.pathname.startsWith('/oidc/'))
        return done('oidc', url.pathname, await handleOidc(deps, req, res, url));
      const git = GIT_PATH.exec(url.pathname);
      if (git) {
        const route = gitTemplate(git[3] ?? '');
        const fault = deps.faults.take(method, route, url.pathname);
        if (fault?.latencyMs) await sleep(fault.latencyMs);
        const injected = fault && Faults.response(fault);
        if (injected) return done('git', route, (send(res, injected), injected.status), true);
        return done('git', route, await serveGit(deps.core, req, res, git, url.search.slice(1)));
      }
      send(res, { status: 404, body: { message: 'Not Found', documentation_url: DOCS } });
      done('other', url.pathname, 404);
    };
    run().catch((err: unknown) => {
      console.error('forge: request failed', err);
      if (!res.headersSent) send(res, errorReply(err));
      else res.end();
    });
  });
}
