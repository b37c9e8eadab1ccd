import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { startLlmServer } from './server.js';
import type { LlmServer } from './server.js';

// Byte-level checks the SDKs hide: SSE framing, pings, [DONE], error shapes and request ids.
let server: LlmServer;

beforeAll(async () => {
  server = await startLlmServer({ defaultReply: 'alpha beta gamma' });
});
afterAll(() => server.stop());
beforeEach(() => server.reset());

function post(path: string, body: unknown, headers: Record<string, string>): Promise<Response> {
  return fetch(`${server.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

const openaiAuth = (): Record<string, string> => ({ authorization: `Bearer ${server.apiKeys.openai}` });
const anthropicAuth = (): Record<string, string> => ({
  'x-api-key': server.apiKeys.anthropic,
  'anthropic-version': '2023-06-01',
});

describe('wire format', () => {
  it('Anthropic streams name every event, include a ping, and carry request-id', async () => {
    const res = await post(
      '/v1/messages',
      { model: 'claude-haiku-4-5', max_tokens: 32, stream: true, messages: [{ role: 'user', content: 'x' }] },
      anthropicAuth(),
    );
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(res.headers.get('request-id')).toMatch(/^req_/);
    const frames = (await res.text()).trim().split('\n\n');
    expect(frames.every((f) => f.startsWith('event: '))).toBe(true);
    expect(frames).toContain('event: ping\ndata: {"type":"ping"}');
  });

  it('Chat Completions streams are unnamed data lines ending in data: [DONE]', async () => {
    const res = await post(
      '/v1/chat/completions',
      { model: 'gpt-4.1', stream: true, messages: [{ role: 'user', content: 'x' }] },
      openaiAuth(),
    );
    expect(res.headers.get('x-request-id')).toMatch(/^req_/);
    const text = await res.text();
    expect(text).not.toContain('event:');
    expect(text.endsWith('data: [DONE]\n\n')).toBe(true);
  });

  it('answers an unknown route with 404 in the OpenAI error shape', async () => {
    const res = await post('/v1/nope', {}, openaiAuth());
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        message: 'Invalid URL (POST /v1/nope)',
        type: 'invalid_request_error',
        param: null,
        code: null,
      },
    });
  });

  it('answers a body that is not JSON with 400 invalid_request_error', async () => {
    const res = await post('/v1/responses', '{not json', openaiAuth());
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { type: string } }).error.type).toBe('invalid_request_error');
  });

  it('requires the anthropic-version header, in the Anthropic error shape', async () => {
    const res = await post(
      '/v1/messages',
      { model: 'claude-haiku-4-5', max_tokens: 8, messages: [{ role: 'user', content: 'x' }] },
      { 'x-api-key': server.apiKeys.anthropic },
    );
    expect(res.status).toBe(400);
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe('error');
    expect(body.error).toEqual({
      type: 'invalid_request_error',
      message: 'anthropic-version: header is required',
    });
  });

  it('logs refused requests too, with their status and no usage', async () => {
    await post('/v1/responses', { model: 'gpt-5.4', input: 'x' }, { authorization: 'Bearer wrong' });
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]).toMatchObject({ provider: 'openai', status: 401, usage: undefined });
    expect(server.requests[0]?.body).toEqual({ model: 'gpt-5.4', input: 'x' });
    expect(server.usageTotals().requests).toBe(0);
  });

  it('stop() cuts a stream stalled forever', async () => {
    const stalled = await startLlmServer({ faults: [{ kind: 'stall', afterEvents: 1 }] });
    const res = await fetch(`${stalled.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stalled.apiKeys.openai}`, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'gpt-5.4', input: 'x', stream: true }),
    });
    const reading = res.text().catch((err: Error) => `cut: ${err.message}`);
    await stalled.stop();
    expect(await reading).toMatch(/cut|response\.created/);
  });
});
