import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startLlmServer } from '@autocode/sandbox';
import type { LlmServer } from '@autocode/sandbox';
import { Budget } from './budget.js';
import { FsResponseCache } from './cache.js';
import { createProvider } from './providers.js';
import { LlmRouter } from './router.js';
import type { RouterOptions } from './router.js';
import { loadTokenCounter } from './tokens.js';
import type { LlmCall } from './types.js';

let llm: LlmServer;
const sleeps: number[] = [];
const call: LlmCall = {
  template: 'refactor_code',
  system: 'You edit code.',
  messages: [{ role: 'user', content: 'Rename foo to bar' }],
  maxOutputTokens: 256,
  cacheKey: 'repo@abc',
};

const openai = () =>
  createProvider({
    name: 'primary',
    kind: 'openai',
    model: 'gpt-5.4',
    baseUrl: llm.openaiBaseUrl,
    apiKey: llm.apiKeys.openai,
  });
const anthropic = () =>
  createProvider({
    name: 'fallback',
    kind: 'anthropic',
    model: 'claude-sonnet-4-6',
    baseUrl: llm.anthropicBaseUrl,
    apiKey: llm.apiKeys.anthropic,
  });

async function router(overrides: Partial<RouterOptions> = {}) {
  return new LlmRouter({
    providers: [openai(), anthropic()],
    budget: new Budget({}),
    counter: await loadTokenCounter(),
    sleep: async (ms) => void sleeps.push(ms),
    ...overrides,
  });
}

beforeAll(async () => {
  llm = await startLlmServer({ rules: [{ match: { templateName: 'refactor_code' }, reply: 'done: bar' }] });
});
afterAll(() => llm.stop());
beforeEach(() => {
  llm.reset();
  sleeps.length = 0;
});

describe('LLM router through the real SDKs', () => {
  it('answers from OpenAI with usage, cost and the template marker and prompt_cache_key on the wire', async () => {
    const r = await (await router()).complete(call);
    expect(r).toMatchObject({ text: 'done: bar', provider: 'primary', cached: false });
    expect(r.usage.inputTokens).toBeGreaterThan(0);
    expect(r.costUsd).toBeGreaterThan(0);
    const body = llm.requests[0]!.body as { prompt_cache_key: string; max_completion_tokens: number };
    expect(llm.requests[0]!.templateName).toBe('refactor_code');
    expect(body.prompt_cache_key).toBe('repo@abc');
    expect(body.max_completion_tokens).toBe(256);
  });

  it('sends Anthropic cache_control breakpoints on the system prompt and the context turn', async () => {
    const r = await (await router({ providers: [anthropic()] })).complete(call);
    expect(r.text).toBe('done: bar');
    const body = llm.requests[0]!.body as {
      system: { cache_control?: unknown }[];
      messages: { content: { cache_control?: unknown }[] }[];
    };
    expect(body.system[0]!.cache_control).toEqual({ type: 'ephemeral' });
    expect(body.messages[0]!.content[0]!.cache_control).toEqual({ type: 'ephemeral' });
    const again = await (await router({ providers: [anthropic()] })).complete(call);
    expect(again.usage.cachedInputTokens).toBeGreaterThan(0);
  });

  it('retries a 429 after the retry-after the server sent', async () => {
    llm.faults.add({ kind: 'rate_limit', provider: 'openai', retryAfter: 3, times: 1 });
    const r = await (await router()).complete(call);
    expect(r.provider).toBe('primary');
    expect(sleeps).toEqual([3000]);
    expect(r.attempts.map((a) => a.outcome.split(':')[0])).toEqual(['rate_limit', 'ok']);
  });

  it('fails over when the first provider is slower than the latency threshold, and prefers the fast one after', async () => {
    llm.faults.add({ kind: 'latency', provider: 'openai', ms: 1500 });
    const r0 = await router({ latencyThresholdMs: 200 });
    const r = await r0.complete(call);
    expect(r.provider).toBe('fallback');
    expect(r.attempts[0]!.outcome).toMatch(/^latency/);
    const next = await r0.complete({ ...call, messages: [{ role: 'user', content: 'again' }] });
    expect(next.attempts.map((a) => a.provider)).toEqual(['fallback']);
  });

  it('ends a stream stalled mid-way with the idle watchdog and retries', async () => {
    llm.faults.add({ kind: 'stall', provider: 'openai', afterEvents: 1, times: 1 });
    const r = await (await router({ idleTimeoutMs: 200 })).complete(call);
    expect(r.text).toBe('done: bar');
    expect(r.attempts[0]!.outcome).toMatch(/^idle/);
  });

  it('refuses a call over budget before contacting any provider', async () => {
    const r = await router({ budget: new Budget({ maxTokens: 100 }) });
    await expect(r.complete(call)).rejects.toMatchObject({
      code: 'POLICY_DENIED',
      details: expect.objectContaining({ rule: 'llm-budget' }),
    });
    expect(llm.requests).toHaveLength(0);
  });

  it('serves a repeated prompt from the response cache with zero tokens', async () => {
    const cache = new FsResponseCache(mkdtempSync(join(tmpdir(), 'codegen-cache-')));
    await (await router({ cache })).complete(call);
    const budget = new Budget({});
    const hit = await (await router({ cache, budget })).complete(call);
    expect(hit).toMatchObject({
      cached: true,
      text: 'done: bar',
      costUsd: 0,
      usage: { inputTokens: 0, outputTokens: 0 },
    });
    expect(llm.requests).toHaveLength(1);
    expect(budget.totals()).toMatchObject({ inputTokens: 0, cacheHits: 1 });
  });

  it('fails over on a 500 that keeps failing, then gives up naming every attempt', async () => {
    llm.faults.add({ kind: 'server_error', status: 503 });
    const r = await router({ maxRetries: 1 });
    await expect(r.complete(call)).rejects.toMatchObject({ code: 'UPSTREAM_FAILED' });
    expect(llm.requests.map((q) => q.provider)).toEqual(['openai', 'openai', 'anthropic', 'anthropic']);
  });
});
