import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import Anthropic from '@anthropic-ai/sdk';
import type { APIError as AnthropicApiError } from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import type { APIError as OpenAIApiError } from 'openai';
import { startLlmServer } from './server.js';
import type { LlmServer } from './server.js';

let server: LlmServer;
let openai: OpenAI;
let anthropic: Anthropic;
const GPT = 'gpt-5.4';
const CLAUDE = 'claude-sonnet-4-6';

const ask = {
  responses: (client = openai) => client.responses.create({ model: GPT, input: 'hi' }),
  chat: (client = openai) =>
    client.chat.completions.create({ model: GPT, messages: [{ role: 'user', content: 'hi' }] }),
  messages: (client = anthropic) =>
    client.messages.create({ model: CLAUDE, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] }),
};

/** Client options for the sandbox; logging off, as the SDKs log every malformed event they choke on. */
function sandboxed<T extends object>(provider: 'openai' | 'anthropic', options?: T) {
  return {
    baseURL: server.url + (provider === 'openai' ? '/v1' : ''),
    apiKey: server.apiKeys[provider],
    maxRetries: 0,
    logLevel: 'off' as const,
    ...options,
  };
}
const openaiClient = (options?: Partial<ConstructorParameters<typeof OpenAI>[0]>) =>
  new OpenAI(sandboxed('openai', options));
const anthropicClient = (options?: Partial<ConstructorParameters<typeof Anthropic>[0]>) =>
  new Anthropic(sandboxed('anthropic', options));

beforeAll(async () => {
  server = await startLlmServer({ defaultReply: 'one two three four five six seven eight' });
  openai = openaiClient();
  anthropic = anthropicClient();
});

afterAll(() => server.stop());
beforeEach(() => server.reset());

describe('authentication', () => {
  it('a wrong OpenAI key raises OpenAI.AuthenticationError without echoing the key', async () => {
    const wrong = openaiClient({ apiKey: 'sk-wrong-key-1234567890' });
    const error = await ask.responses(wrong).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.AuthenticationError);
    expect((error as OpenAIApiError).code).toBe('invalid_api_key');
    expect((error as Error).message).not.toContain('sk-wrong-key-1234567890');
  });

  it('a wrong Anthropic key raises Anthropic.AuthenticationError', async () => {
    const wrong = anthropicClient({ apiKey: 'sk-ant-wrong' });
    const error = await ask.messages(wrong).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((error as AnthropicApiError).type).toBe('authentication_error');
  });

  it('an OpenAI key is refused by the Anthropic route', async () => {
    const crossed = anthropicClient({ apiKey: server.apiKeys.openai });
    await expect(ask.messages(crossed)).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });
});

describe('rate limits', () => {
  it('429 surfaces as RateLimitError with retry-after visible', async () => {
    server.faults.add({ kind: 'rate_limit', retryAfter: 7 });
    const error = await ask.chat().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect((error as OpenAIApiError).headers?.get('retry-after')).toBe('7');
    const anthropicError = await ask.messages().catch((e: unknown) => e);
    expect(anthropicError).toBeInstanceOf(Anthropic.RateLimitError);
    expect((anthropicError as AnthropicApiError).type).toBe('rate_limit_error');
  });

  it.each(['openai', 'anthropic'] as const)(
    'the %s SDK waits retry-after, retries and succeeds',
    async (provider) => {
      server.faults.add({ kind: 'rate_limit', provider, retryAfter: 1, times: 1 });
      const started = Date.now();
      if (provider === 'openai') {
        const retrying = openaiClient({ maxRetries: 1 });
        expect((await ask.responses(retrying)).output_text).toContain('one two');
      } else {
        const retrying = anthropicClient({ maxRetries: 1 });
        expect((await ask.messages(retrying)).content[0]).toMatchObject({ type: 'text' });
      }
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
      expect(server.requests.map((r) => r.status)).toEqual([429, 200]);
      expect(server.requests[0]?.fault).toBe('rate_limit');
    },
  );
});

describe('server errors', () => {
  it('500 surfaces as InternalServerError in both SDKs', async () => {
    server.faults.add({ kind: 'server_error' });
    await expect(ask.responses()).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    await expect(ask.messages()).rejects.toBeInstanceOf(Anthropic.InternalServerError);
  });

  it("503 and Anthropic's 529 map to the SDKs' overload classes", async () => {
    server.faults.add({ kind: 'server_error', status: 503, provider: 'openai' });
    server.faults.add({ kind: 'server_error', status: 529, provider: 'anthropic' });
    await expect(ask.chat()).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    const error = await ask.messages().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Anthropic.OverloadedError);
    expect((error as AnthropicApiError).type).toBe('overloaded_error');
  });

  it('a fault limited by route, `after` and `times` hits only the requests it names', async () => {
    server.faults.add({ kind: 'server_error', route: 'chat.completions', after: 1, times: 1 });
    await expect(ask.responses()).resolves.toBeDefined();
    await expect(ask.chat()).resolves.toBeDefined();
    await expect(ask.chat()).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    await expect(ask.chat()).resolves.toBeDefined();
  });
});

describe('byte-level faults', () => {
  it('latency delays the first byte', async () => {
    server.faults.add({ kind: 'latency', ms: 300 });
    const started = Date.now();
    await ask.messages();
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(server.requests[0]?.latencyMs).toBeGreaterThanOrEqual(290);
  });

  it('a malformed JSON body surfaces as a parse error', async () => {
    server.faults.add({ kind: 'malformed' });
    // fetch's response.json() throws a SyntaxError of Node's own realm, not of jest's VM realm: match by name.
    await expect(ask.responses()).rejects.toMatchObject({ name: 'SyntaxError' });
    await expect(ask.messages()).rejects.toMatchObject({ name: 'SyntaxError' });
  });

  it('a malformed event in a stream surfaces as a parse error while iterating', async () => {
    server.faults.add({ kind: 'malformed', afterEvents: 3 });
    const { seen, done } = await readResponsesStream();
    await expect(done).rejects.toBeInstanceOf(SyntaxError);
    expect(seen).toHaveLength(3);
  });

  it('a connection reset mid-stream breaks the iteration; the MessageStream helper raises AnthropicError', async () => {
    server.faults.add({ kind: 'reset', afterEvents: 3 });
    const { seen, done } = await readResponsesStream();
    await expect(done).rejects.toThrow('terminated');
    expect(seen).toHaveLength(3);
    const final = anthropic.messages
      .stream({ model: CLAUDE, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] })
      .finalMessage();
    await expect(final).rejects.toBeInstanceOf(Anthropic.AnthropicError);
  });

  it('a connection reset surfaces as APIConnectionError', async () => {
    server.faults.add({ kind: 'reset' });
    await expect(ask.chat()).rejects.toBeInstanceOf(OpenAI.APIConnectionError);
    await expect(ask.messages()).rejects.toBeInstanceOf(Anthropic.APIConnectionError);
    expect(server.requests.map((r) => r.status)).toEqual([undefined, undefined]);
  });

  it('a stream stalled before its first event trips the client timeout (APIConnectionTimeoutError)', async () => {
    server.faults.add({ kind: 'stall', afterEvents: 0 });
    const common = { timeout: 300, fetch: sameRealmFetch };
    const impatient = openaiClient(common);
    const call = impatient.responses.create({ model: GPT, input: 'hi', stream: true });
    await expect(call).rejects.toBeInstanceOf(OpenAI.APIConnectionTimeoutError);
    const patient = anthropicClient(common);
    const anthropicCall = patient.messages.create({
      model: CLAUDE,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
      stream: true,
    });
    await expect(anthropicCall).rejects.toBeInstanceOf(Anthropic.APIConnectionTimeoutError);
  });

  it('a stream stalled mid-way hangs until the client aborts (SDK timeouts stop at the headers)', async () => {
    server.faults.add({ kind: 'stall', afterEvents: 3 });
    const stream = anthropic.messages.stream(
      { model: CLAUDE, max_tokens: 64, messages: [{ role: 'user', content: 'hi' }] },
      { signal: AbortSignal.timeout(300) },
    );
    await expect(stream.finalMessage()).rejects.toBeInstanceOf(Anthropic.APIUserAbortError);
    await waitFor(() => server.requests[0]?.aborted === true);
    expect(server.requests[0]).toMatchObject({ status: 200, fault: 'stall', aborted: true });
  });

  it('a stream stalled for a while resumes and completes', async () => {
    server.faults.add({ kind: 'stall', afterEvents: 2, ms: 250 });
    const started = Date.now();
    const final = await openai.responses.stream({ model: GPT, input: 'hi' }).finalResponse();
    expect(final.output_text).toBe('one two three four five six seven eight');
    expect(Date.now() - started).toBeGreaterThanOrEqual(240);
  });
});

/**
 * Under jest's VM realm the SDKs cannot recognise fetch's native AbortError (`instanceof Error` fails), so a
 * timeout reads as a plain connection error. Re-raising it as an Error of this realm restores what the SDKs
 * do in plain Node: `APIConnectionTimeoutError`.
 */
const sameRealmFetch: typeof fetch = (input, init) =>
  fetch(input, init).catch((err: { name?: string; message?: string; cause?: unknown }) => {
    throw Object.assign(new Error(err.message, { cause: err.cause }), { name: err.name });
  });

/** Start a Responses stream and iterate it: the event types seen so far, and how the iteration ended. */
async function readResponsesStream(): Promise<{ seen: string[]; done: Promise<void> }> {
  const stream = await openai.responses.create({ model: GPT, input: 'hi', stream: true });
  const seen: string[] = [];
  const done = (async () => {
    for await (const event of stream) seen.push(event.type);
  })();
  done.catch(() => undefined); // asserted by the caller; keep it from being an unhandled rejection meanwhile
  return { seen, done };
}

async function waitFor(condition: () => boolean, ms = 2000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
}
