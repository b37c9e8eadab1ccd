/**
 * The LLM server: a loopback HTTP server speaking the OpenAI (Responses, Chat Completions, models) and
 * Anthropic (Messages, models) wire formats, with scripted replies, injectable faults and token accounting.
 * Point the official SDKs at it: `new OpenAI({ baseURL: server.openaiBaseUrl, apiKey: server.apiKeys.openai })`,
 * `new Anthropic({ baseURL: server.anthropicBaseUrl, apiKey: server.apiKeys.anthropic })`.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AutocodeError, ErrorCodes, isAutocodeError } from '@autocode/toolkit';
import { anthropicMessages, anthropicModelList } from './anthropic.js';
import { LlmEngine, usageTotals } from './engine.js';
import type { CacheOptions } from './engine.js';
import { FaultBook } from './faults.js';
import type { Fault } from './faults.js';
import { modelList, openAiChat } from './openai-chat.js';
import { openAiResponses } from './openai-responses.js';
import type { Reply, Rule } from './rules.js';
import { Exchange, writeJson, writeStream } from './sse.js';
import { encodePrompt, loadTokenizer } from './tokens.js';
import type { LlmRequest, Provider, RequestLogEntry, RouteHandler, UsageTotals } from './types.js';
import { faultMessage, idHeader, renderError, wireError } from './wire-errors.js';

export interface LlmServerOptions {
  /** Loopback only; `127.0.0.1` by default. */
  host?: string;
  /** 0 (default) picks a free port. */
  port?: number;
  /** Keys the server accepts; random `sk-sandbox-…` / `sk-ant-sandbox-…` keys when omitted. */
  apiKeys?: { openai?: string; anthropic?: string };
  rules?: Rule[];
  /** Reply when no rule matches; `"OK"` by default. */
  defaultReply?: Reply;
  faults?: Fault[];
  /** Ids listed by `GET /v1/models` (any model id is accepted on the generation routes). */
  models?: string[];
  cache?: CacheOptions;
  /** Pause between streamed events; 0 by default. */
  streamChunkDelayMs?: number;
  now?: () => number;
}

export interface LlmServer {
  /** `http://127.0.0.1:<port>` */
  url: string;
  /** `baseURL` for the `openai` SDK (`<url>/v1`). */
  openaiBaseUrl: string;
  /** `baseURL` for `@anthropic-ai/sdk` (`<url>`; the SDK appends `/v1/messages`). */
  anthropicBaseUrl: string;
  apiKeys: { openai: string; anthropic: string };
  /** Every request in arrival order (live array; `reset()` empties it in place). */
  readonly requests: RequestLogEntry[];
  usageTotals(): UsageTotals;
  /** Replace the rules (use counters start afresh). */
  setRules(rules: Rule[]): void;
  /** Add a rule ahead of the existing ones. */
  addRule(rule: Rule): void;
  setDefaultReply(reply: Reply): void;
  faults: { add(fault: Fault): void; clear(): void };
  /** Empty the request log, prompt caches and faults; restore the initial rules and default reply. */
  reset(): void;
  /** Close the server, cutting any stalled stream. */
  stop(): Promise<void>;
}

export const DEFAULT_MODELS = [
  'gpt-5.4',
  'gpt-5.4-mini',
  'gpt-5',
  'gpt-4.1',
  'gpt-4o-mini',
  'claude-opus-4-7',
  'claude-sonnet-4-6',
  'claude-haiku-4-5',
];

/** Both providers cap request bodies at 32 MB. */
const MAX_BODY_BYTES = 32 * 1024 * 1024;

const COUNT_TOKENS_PATH = '/v1/messages/count_tokens';

const ROUTES: Record<string, RouteHandler> = {
  'POST /v1/responses': openAiResponses,
  'POST /v1/chat/completions': openAiChat,
  'POST /v1/messages': anthropicMessages,
};

interface Context {
  engine: LlmEngine;
  faults: FaultBook;
  requests: RequestLogEntry[];
  apiKeys: { openai: string; anthropic: string };
  models: string[];
  now: () => number;
  chunkDelayMs: number;
}

export async function startLlmServer(options: LlmServerOptions = {}): Promise<LlmServer> {
  await loadTokenizer();
  const now = options.now ?? Date.now;
  const apiKeys = {
    openai: options.apiKeys?.openai ?? `sk-sandbox-${randomBytes(24).toString('hex')}`,
    anthropic: options.apiKeys?.anthropic ?? `sk-ant-sandbox-${randomBytes(24).toString('hex')}`,
  };
  const ctx: Context = {
    engine: new LlmEngine({
      rules: options.rules ?? [],
      defaultReply: options.defaultReply ?? 'OK',
      cache: options.cache ?? {},
      now,
    }),
    faults: new FaultBook(options.faults),
    requests: [],
    apiKeys,
    models: options.models ?? DEFAULT_MODELS,
    now,
    chunkDelayMs: options.streamChunkDelayMs ?? 0,
  };
  const server = createServer((req, res) => void handle(ctx, req, new Exchange(res)));
  const port = await listen(server, options.host ?? '127.0.0.1', options.port ?? 0);
  const url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  return {
    url,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    apiKeys,
    requests: ctx.requests,
    usageTotals: () => usageTotals(ctx.requests),
    setRules: (rules) => ctx.engine.rules.set(rules),
    addRule: (rule) => ctx.engine.rules.add(rule),
    setDefaultReply: (reply) => ctx.engine.rules.setDefault(reply),
    faults: { add: (fault) => ctx.faults.add(fault), clear: () => ctx.faults.clear() },
    reset: () => {
      ctx.requests.length = 0;
      ctx.faults.clear();
      ctx.engine.reset();
    },
    stop: () => close(server),
  };
}

function listen(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

function close(server: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** Requests to shared paths (`/v1/models`, unknown routes) are told apart by Anthropic's headers. */
function providerOf(req: IncomingMessage, handler: RouteHandler | undefined, path: string): Provider {
  if (handler) return handler.provider;
  if (path === COUNT_TOKENS_PATH) return 'anthropic';
  return req.headers['x-api-key'] !== undefined || req.headers['anthropic-version'] !== undefined
    ? 'anthropic'
    : 'openai';
}

function bearer(req: IncomingMessage): string | undefined {
  const header = req.headers.authorization ?? '';
  return header.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function authenticate(ctx: Context, provider: Provider, req: IncomingMessage): void {
  if (provider === 'openai') {
    const key = bearer(req);
    if (key === ctx.apiKeys.openai) return;
    throw wireError(
      ErrorCodes.AUTH_FAILED,
      key === undefined
        ? "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY)."
        : `Incorrect API key provided: ${mask(key)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
    );
  }
  // Anthropic takes the key as `x-api-key`, or (what @anthropic-ai/sdk ≥ 1 sends) as a Bearer token.
  const key = req.headers['x-api-key'] ?? bearer(req);
  if (key === undefined) throw wireError(ErrorCodes.AUTH_FAILED, 'x-api-key header is required');
  if (key !== ctx.apiKeys.anthropic) throw wireError(ErrorCodes.AUTH_FAILED, 'invalid x-api-key');
  if (req.headers['anthropic-version'] === undefined) {
    throw wireError(ErrorCodes.INVALID_INPUT, 'anthropic-version: header is required', 400);
  }
}

/** Never echo a key: keep its first and last 4 characters, like OpenAI does. */
function mask(key: string): string {
  return key.length <= 8
    ? '*'.repeat(key.length)
    : `${key.slice(0, 4)}${'*'.repeat(key.length - 8)}${key.slice(-4)}`;
}

/** The raw body; the log keeps it parsed when it is JSON, as text otherwise. */
async function readBody(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      throw wireError(ErrorCodes.INVALID_INPUT, 'Request exceeds the maximum size', 413);
    }
    chunks.push(chunk);
  }
  if (size === 0) return undefined;
  const text = Buffer.concat(chunks).toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function jsonObject(body: unknown): Record<string, unknown> {
  if (body && typeof body === 'object' && !Array.isArray(body)) return body as Record<string, unknown>;
  throw wireError(
    ErrorCodes.INVALID_INPUT,
    'We could not parse the JSON body of your request. The body must be a JSON object.',
    400,
  );
}

function newEntry(ctx: Context, req: IncomingMessage, path: string, provider: Provider): RequestLogEntry {
  return {
    seq: ctx.requests.length + 1,
    provider,
    route: path,
    method: req.method ?? 'GET',
    model: undefined,
    stream: false,
    templateName: undefined,
    rule: undefined,
    body: undefined,
    reply: undefined,
    usage: undefined,
    status: undefined,
    fault: undefined,
    aborted: false,
    startedAt: ctx.now(),
    latencyMs: undefined,
  };
}

function settle(ctx: Context, entry: RequestLogEntry, ex: Exchange): void {
  entry.status = ex.res.headersSent ? ex.res.statusCode : undefined;
  entry.aborted = ex.aborted;
  entry.latencyMs ??= ctx.now() - entry.startedAt;
}

async function handle(ctx: Context, req: IncomingMessage, ex: Exchange): Promise<void> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const handler = ROUTES[`${req.method} ${path}`];
  const provider = providerOf(req, handler, path);
  const entry = newEntry(ctx, req, path, provider);
  ctx.requests.push(entry);
  void ex.closed.then(() => settle(ctx, entry, ex));
  try {
    // Read before refusing: the log keeps every body that reached the server, accepted or not.
    entry.body = await readBody(req);
    const isModels = req.method === 'GET' && path === '/v1/models';
    const isCount = req.method === 'POST' && path === COUNT_TOKENS_PATH;
    if (!handler && !isModels && !isCount) {
      const message = provider === 'openai' ? `Invalid URL (${req.method} ${path})` : 'Not Found';
      throw wireError(ErrorCodes.NOT_FOUND, message);
    }
    authenticate(ctx, provider, req);
    if (isCount) return countTokens(ex, entry);
    if (!handler) {
      const created = Math.floor(ctx.now() / 1000);
      const list =
        provider === 'openai'
          ? modelList(ctx.models, created)
          : anthropicModelList(ctx.models, new Date(created * 1000).toISOString());
      return writeJson(ex, 200, idHeader(provider), list);
    }
    const request = handler.parse(jsonObject(entry.body));
    Object.assign(entry, {
      model: request.model,
      stream: request.stream,
      templateName: request.templateName,
    });
    await serve(ctx, ex, handler, request, entry);
  } catch (err) {
    const error = isAutocodeError(err)
      ? err
      : new AutocodeError(ErrorCodes.INTERNAL, 'The sandbox LLM server failed', { cause: err });
    if (!isAutocodeError(err)) console.error('llm server:', err);
    if (ex.res.headersSent || ex.isClosed) return ex.reset();
    const { status, headers, body } = renderError(provider, error);
    writeJson(ex, status, headers, body);
  } finally {
    settle(ctx, entry, ex);
  }
}

async function serve(
  ctx: Context,
  ex: Exchange,
  handler: RouteHandler,
  req: LlmRequest,
  entry: RequestLogEntry,
): Promise<void> {
  const { latencyMs, fault } = ctx.faults.take(req);
  entry.fault = fault?.kind ?? (latencyMs > 0 ? 'latency' : undefined);
  if (latencyMs > 0) await ex.wait(latencyMs);
  if (ex.isClosed) return;
  const provider = handler.provider;
  if (fault?.kind === 'rate_limit' || fault?.kind === 'server_error') {
    const status = fault.kind === 'rate_limit' ? 429 : (fault.status ?? 500);
    const code = status === 429 ? ErrorCodes.RATE_LIMITED : ErrorCodes.UPSTREAM_FAILED;
    const error = renderError(provider, wireError(code, faultMessage(provider, status, req.model), status));
    const extra =
      fault.kind === 'rate_limit' ? rateLimitHeaders(provider, fault.retryAfter ?? 1, ctx.now) : {};
    return writeJson(ex, error.status, { ...error.headers, ...extra }, error.body);
  }
  if (fault?.kind === 'reset' && (!req.stream || (fault.afterEvents ?? 0) === 0)) return ex.reset();
  if (fault?.kind === 'stall' && !req.stream) {
    await ex.wait(fault.ms);
    if (ex.isClosed) return;
  }
  const { completion, rule } = await ctx.engine.complete(handler, req);
  Object.assign(entry, { rule, reply: completion.text, usage: completion.usage });
  const headers = idHeader(provider);
  if (!req.stream) return writeJson(ex, 200, headers, handler.json(completion, req), fault);
  await writeStream(ex, handler.frames(completion, req), { headers, fault, chunkDelayMs: ctx.chunkDelayMs });
}

/** Anthropic's `POST /v1/messages/count_tokens`: the Messages body without `max_tokens`, answered with the count. */
function countTokens(ex: Exchange, entry: RequestLogEntry): void {
  const request = anthropicMessages.parse({ max_tokens: 1, ...jsonObject(entry.body) });
  entry.model = request.model;
  writeJson(ex, 200, idHeader('anthropic'), { input_tokens: encodePrompt(request.segments).length });
}

function rateLimitHeaders(provider: Provider, retryAfter: number, now: () => number): Record<string, string> {
  const common = { 'retry-after': String(retryAfter) };
  if (provider === 'openai') {
    return {
      ...common,
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': `${retryAfter}s`,
    };
  }
  const reset = new Date(now() + retryAfter * 1000).toISOString();
  return {
    ...common,
    'anthropic-ratelimit-requests-remaining': '0',
    'anthropic-ratelimit-requests-reset': reset,
  };
}
