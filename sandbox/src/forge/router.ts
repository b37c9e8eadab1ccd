/**
 * Route table for the REST API. Templates are GitHub's own path templates (what the request log, the fault
 * matcher and the OpenAPI check see); `{name+}` marks a parameter that may span slashes (refs, paths), `{name*}` one that may also be empty.
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Actor } from './auth.js';
import type { ForgeCore } from './core.js';
import { ForgeHttpError } from './http-errors.js';

export interface Ctx {
  core: ForgeCore;
  method: string;
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  headers: IncomingHttpHeaders;
  actor: Actor;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export type Handler = (ctx: Ctx) => Promise<Reply> | Reply;

interface Route {
  method: string;
  template: string;
  regex: RegExp;
  keys: string[];
  handler: Handler;
}

export class Router {
  private readonly routes: Route[] = [];

  add(method: string, template: string, handler: Handler): this {
    const keys: string[] = [];
    const pattern = template
      .replace(/[.]/g, '\\.')
      .replace(/\{(\w+)([+*]?)\}/g, (_m, key: string, mod: string) => {
        keys.push(key);
        return mod === '+' ? '(.+)' : mod === '*' ? '(.*)' : '([^/]+)';
      });
    this.routes.push({
      method,
      template: template.replace(/[+*]\}/g, '}'),
      regex: new RegExp(`^${pattern}$`),
      keys,
      handler,
    });
    return this;
  }

  /** First route whose method and template match; `template` alone when only the method differs. */
  match(method: string, path: string): { route?: Route; params: Record<string, string>; template?: string } {
    let template: string | undefined;
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      if (route.method !== method) {
        template ??= route.template;
        continue;
      }
      const params: Record<string, string> = {};
      route.keys.forEach((k, i) => (params[k] = decodeURIComponent(m[i + 1] ?? '')));
      return { route, params, template: route.template };
    }
    return { params: {}, ...(template ? { template } : {}) };
  }
}

export function intParam(ctx: Ctx, name: string): number {
  const n = Number(ctx.params[name]);
  if (!Number.isInteger(n) || n < 0) throw new ForgeHttpError(404, 'Not Found');
  return n;
}

/** `per_page` (default 30, max 100) / `page` with a GitHub-style Link header. */
export function paginate<T>(ctx: Ctx, items: T[]): { page: T[]; headers: Record<string, string> } {
  const perPage = Math.min(Math.max(Number(ctx.query.get('per_page') ?? 30) || 30, 1), 100);
  const page = Math.max(Number(ctx.query.get('page') ?? 1) || 1, 1);
  const last = Math.max(Math.ceil(items.length / perPage), 1);
  const link = (p: number, rel: string) => {
    const q = new URLSearchParams(ctx.query);
    q.set('per_page', String(perPage));
    q.set('page', String(p));
    return `<${ctx.core.apiUrl}${ctx.path}?${q.toString()}>; rel="${rel}"`;
  };
  const rels: string[] = [];
  if (page > 1) rels.push(link(page - 1, 'prev'), link(1, 'first'));
  if (page < last) rels.push(link(page + 1, 'next'), link(last, 'last'));
  return {
    page: items.slice((page - 1) * perPage, page * perPage),
    headers: rels.length ? { link: rels.join(', ') } : {},
  };
}

/** One page of `items` mapped to their JSON, with the Link header. */
export function okPage<T>(ctx: Ctx, items: T[], json: (item: T) => unknown): Reply {
  const { page, headers } = paginate(ctx, items);
  return ok(page.map(json), headers);
}

export function ok(body: unknown, headers?: Record<string, string>): Reply {
  return { status: 200, body, ...(headers ? { headers } : {}) };
}

export function created(body: unknown): Reply {
  return { status: 201, body };
}

export const noContent: Reply = { status: 204 };
