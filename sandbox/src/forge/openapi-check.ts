/**
 * Validates REST exchanges against GitHub's official OpenAPI description (`@octokit/openapi`,
 * api.github.com): the concrete path must match a documented path template and method, a JSON request body
 * must satisfy the operation's request schema (unless the forge rejected it with a 4xx), and the response
 * body must satisfy the schema documented for its status. Use `recordOpenApi(forge)` in a test and call
 * `assertClean()` at the end: any mismatch is a forge bug to fix, never a reason to loosen the check.
 */
import { Ajv } from 'ajv';
import type { ValidateFunction } from 'ajv';
import formats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Exchange } from './server.js';

export interface OpenApiMismatch {
  method: string;
  path: string;
  status: number;
  where: 'route' | 'request' | 'response';
  message: string;
}

interface Spec {
  paths: Record<string, Record<string, Operation>>;
  components: { responses: Record<string, ResponseObj> };
}
interface Operation {
  requestBody?: { content?: Record<string, unknown> };
  responses?: Record<string, ResponseObj>;
}
interface ResponseObj {
  $ref?: string;
  content?: Record<string, unknown>;
}
interface Template {
  path: string;
  strict: RegExp[];
  loose: RegExp[];
  literal: number;
}

const SPEC_ID = 'gh';

/**
 * Make GitHub's OpenAPI 3.0 schemas compilable by ajv without weakening them:
 * - `nullable: true` without `type` (135 places) becomes `anyOf: [schema, {type: 'null'}]` (ajv only accepts
 *   `nullable` next to `type`);
 * - a nullable `enum` also admits null;
 * - `oneOf` becomes `anyOf`: the description's alternatives overlap (e.g. `basic-error` and
 *   `repository-rule-violation-error` require nothing, so every error body matches both) and GitHub's own
 *   responses would fail "exactly one". Each alternative is still checked in full.
 */
function normalise(node: unknown): void {
  if (Array.isArray(node)) return node.forEach(normalise);
  if (!node || typeof node !== 'object') return;
  const o = node as Record<string, unknown>;
  for (const v of Object.values(o)) normalise(v);
  if (Array.isArray(o.oneOf)) {
    o.anyOf = o.oneOf;
    delete o.oneOf;
  }
  // ajv only lets null through an `enum` that lists it; GitHub sends null for nullable enums (state_reason).
  if (o.nullable === true && Array.isArray(o.enum) && !o.enum.includes(null)) o.enum.push(null);
  if (o.nullable === true && o.type === undefined) {
    const { nullable: _n, ...rest } = o;
    for (const k of Object.keys(o)) delete o[k];
    o.anyOf = [rest, { type: 'null' }];
  }
}
/** Parameters whose values may contain slashes (refs, file paths, branch names, `base...head`). */
const MULTI_SEGMENT = new Set(['ref', 'path', 'basehead', 'branch', 'tree_sha', 'file_path']);

/** A template as a regex; parameter number `greedy` may span slashes (only one, so matching stays cheap). */
function compile(path: string, greedy = -1): RegExp {
  let n = 0;
  const body = path
    .split(/(\{[\w-]+\})/)
    .map((p) =>
      /^\{[\w-]+\}$/.test(p) ? (n++ === greedy ? '.+' : '[^/]+') : p.replace(/[.*+?^$()|[\]\\]/g, '\\$&'),
    )
    .join('');
  return new RegExp(`^${body}$`);
}

let loaded: { spec: Spec; ajv: Ajv; templates: Template[]; cache: Map<string, ValidateFunction> } | undefined;

function load() {
  if (loaded) return loaded;
  const file = createRequire(import.meta.url).resolve('@octokit/openapi/generated/api.github.com.json');
  const spec = JSON.parse(readFileSync(file, 'utf8')) as Spec;
  normalise(spec);
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false, logger: false });
  // ajv-formats is CommonJS: Node's ESM default import is the plugin itself; TypeScript sees `.default`.
  const addFormats = ((formats as unknown as { default?: typeof formats.default }).default ??
    formats) as unknown as typeof formats.default;
  addFormats(ajv);
  ajv.addSchema({ ...spec, $id: SPEC_ID });
  const templates = Object.keys(spec.paths).map((path) => {
    const names = [...path.matchAll(/\{([\w-]+)\}/g)].map((m) => m[1]!);
    // Octokit drops a trailing slash, so an empty last parameter ('contents/{path}' with path '') arrives
    // as the prefix alone.
    const prefix = path.replace(/\/\{[\w-]+\}$/, '');
    return {
      path,
      strict: [compile(path)],
      loose: [
        ...names.flatMap((n, i) => (MULTI_SEGMENT.has(n) ? [compile(path, i)] : [])),
        ...(prefix !== path && MULTI_SEGMENT.has(names[names.length - 1]!) ? [compile(prefix)] : []),
      ],
      literal: path.replace(/\{[\w-]+\}/g, '').length,
    };
  });
  loaded = { spec, ajv, templates, cache: new Map() };
  return loaded;
}

/** The documented path template for a concrete path ('/repos/a/b/git/ref/heads/main' → '/repos/{owner}/…/{ref}'). */
export function matchTemplate(path: string, method: string): string | undefined {
  const { spec, templates } = load();
  const m = method.toLowerCase();
  const pick = (kind: 'strict' | 'loose') =>
    templates
      .filter((t) => spec.paths[t.path]?.[m] && t[kind].some((re) => re.test(path)))
      .sort((a, b) => b.literal - a.literal)[0]?.path;
  return pick('strict') ?? pick('loose');
}

const esc = (s: string) => s.replace(/~/g, '~0').replace(/\//g, '~1');

function validator(pointer: string): ValidateFunction | undefined {
  const { ajv, cache } = load();
  if (!cache.has(pointer)) {
    const fn = ajv.getSchema(`${SPEC_ID}#${pointer}`);
    if (fn) cache.set(pointer, fn);
  }
  return cache.get(pointer);
}

function errorsOf(fn: ValidateFunction): string {
  return (fn.errors ?? [])
    .slice(0, 8)
    .map(
      (e) =>
        `${e.instancePath || '(root)'} ${e.message ?? ''}${e.params ? ` ${JSON.stringify(e.params)}` : ''}`,
    )
    .join('; ');
}

/** JSON pointer of the response schema documented for `status`, or null when the status has no body. */
function responsePointer(template: string, method: string, status: number): string | null | undefined {
  const { spec } = load();
  const op = spec.paths[template]?.[method];
  let res = op?.responses?.[String(status)];
  let base = `/paths/${esc(template)}/${method}/responses/${status}`;
  if (!res) return undefined;
  if (res.$ref) {
    const name = res.$ref.split('/').pop() ?? '';
    base = `/components/responses/${esc(name)}`;
    res = spec.components.responses[name];
  }
  if (!res?.content) return null;
  const type = Object.keys(res.content).find((t) => t === 'application/json') ?? Object.keys(res.content)[0];
  return type ? `${base}/content/${esc(type)}/schema` : null;
}

export function validateExchange(x: Exchange): OpenApiMismatch[] {
  const { spec } = load();
  const method = x.method.toLowerCase();
  const out: OpenApiMismatch[] = [];
  const fail = (where: OpenApiMismatch['where'], message: string) =>
    out.push({ method: x.method, path: x.path, status: x.status, where, message });
  const template = matchTemplate(x.path, x.method);
  if (!template) {
    // An undocumented route must be answered like GitHub answers unknown routes.
    const body = x.responseBody as { message?: unknown } | undefined;
    if (x.status !== 404 || body?.message !== 'Not Found')
      fail('route', 'no documented operation for this path');
    return out;
  }
  const op = spec.paths[template]![method]!;
  const reqType = op.requestBody?.content?.['application/json'] ? 'application/json' : undefined;
  if (reqType && x.requestBody !== undefined) {
    const fn = validator(`/paths/${esc(template)}/${method}/requestBody/content/${esc(reqType)}/schema`);
    if (fn && !fn(x.requestBody) && x.status < 400) {
      fail('request', `accepted a body the spec rejects (${template}): ${errorsOf(fn)}`);
    }
  }
  if (x.injected) return out;
  const pointer = responsePointer(template, method, x.status);
  if (pointer === undefined) {
    if (x.status < 400) fail('response', `status ${x.status} is not documented for ${x.method} ${template}`);
    else {
      const fn = validator('/components/schemas/basic-error')!;
      const body = x.responseBody as { message?: unknown } | undefined;
      if (!fn(x.responseBody) || typeof body?.message !== 'string') {
        fail(
          'response',
          `error body is not GitHub's {message, documentation_url}: ${JSON.stringify(x.responseBody)}`,
        );
      }
    }
    return out;
  }
  if (pointer === null) {
    if (x.responseBody !== undefined && x.status === 204) fail('response', '204 with a body');
    return out;
  }
  const fn = validator(pointer);
  if (!fn) fail('response', `schema ${pointer} not found`);
  else if (!fn(x.responseBody)) fail('response', `${x.method} ${template} ${x.status}: ${errorsOf(fn)}`);
  return out;
}

export interface OpenApiRecorder {
  /** Exchanges validated so far. */
  readonly checked: number;
  readonly mismatches: OpenApiMismatch[];
  /** 'METHOD /template' of every documented operation seen. */
  readonly operations: Set<string>;
  /** Throw listing every mismatch (call at the end of a test or in afterAll). */
  assertClean(): void;
  stop(): void;
}

/** Validate every REST exchange the forge serves from now on. */
export function recordOpenApi(forge: {
  onExchange(listener: (x: Exchange) => void): () => void;
}): OpenApiRecorder {
  load();
  const mismatches: OpenApiMismatch[] = [];
  const operations = new Set<string>();
  let checked = 0;
  const stop = forge.onExchange((x) => {
    checked++;
    try {
      const template = matchTemplate(x.path, x.method);
      if (template) operations.add(`${x.method} ${template}`);
      mismatches.push(...validateExchange(x));
    } catch (err) {
      // Never let the checker break the server it observes; a checker failure still fails the test.
      mismatches.push({
        method: x.method,
        path: x.path,
        status: x.status,
        where: 'response',
        message: `checker error: ${String(err)}`,
      });
    }
  });
  return {
    get checked() {
      return checked;
    },
    mismatches,
    operations,
    assertClean() {
      // Report each mismatch once: the next test starts clean.
      const found = mismatches.splice(0);
      if (found.length === 0) return;
      const lines = found.map((m) => `- ${m.method} ${m.path} → ${m.status} [${m.where}] ${m.message}`);
      throw new Error(
        `${found.length} exchange(s) do not match GitHub's OpenAPI description:\n${lines.join('\n')}`,
      );
    },
    stop,
  };
}
