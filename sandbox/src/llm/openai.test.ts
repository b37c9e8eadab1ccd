import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import OpenAI from 'openai';
import { startLlmServer } from './server.js';
import type { LlmServer } from './server.js';
import { countTokens } from './tokens.js';

let server: LlmServer;
let openai: OpenAI;

/** ~1,500 tokens of stable preamble: long enough for OpenAI's 1,024-token caching threshold. */
const LONG_SYSTEM = Array.from(
  { length: 150 },
  (_, i) => `Rule ${i}: keep functions small, typed and tested; name things by what they mean.`,
).join('\n');

beforeAll(async () => {
  server = await startLlmServer({
    rules: [
      {
        name: 'plan',
        match: { templateName: 'codegen/plan' },
        reply: 'Step 1: read the issue. Step 2: write code.',
      },
      { name: 'greet', match: { promptIncludes: 'hello' }, reply: 'Hello from the sandbox model!' },
    ],
  });
  openai = new OpenAI({ baseURL: server.openaiBaseUrl, apiKey: server.apiKeys.openai, maxRetries: 0 });
});

afterAll(() => server.stop());
beforeEach(() => server.reset());

describe('OpenAI Responses API', () => {
  it('answers with the reply of the rule matching metadata.template, with usage counted by the tokenizer', async () => {
    const response = await openai.responses.create({
      model: 'gpt-5.4',
      instructions: 'You are a planner.',
      input: 'Plan the change for issue 42.',
      metadata: { template: 'codegen/plan' },
    });

    expect(response.output_text).toBe('Step 1: read the issue. Step 2: write code.');
    expect(response.status).toBe('completed');
    expect(response.id).toMatch(/^resp_/);
    const usage = response.usage!;
    expect(usage.output_tokens).toBe(countTokens('Step 1: read the issue. Step 2: write code.'));
    const promptTokens = countTokens('You are a planner.') + countTokens('Plan the change for issue 42.');
    expect(usage.input_tokens).toBeGreaterThanOrEqual(promptTokens);
    expect(usage.input_tokens).toBeLessThan(promptTokens + 20);
    expect(usage.input_tokens_details.cached_tokens).toBe(0);
    expect(usage.output_tokens_details.reasoning_tokens).toBe(0);
    expect(usage.total_tokens).toBe(usage.input_tokens + usage.output_tokens);
    expect(server.requests[0]).toMatchObject({ provider: 'openai', route: '/v1/responses', rule: 'plan' });
  });

  it('streams the real event sequence ending in response.completed with usage', async () => {
    const stream = await openai.responses.create({ model: 'gpt-5.4', input: 'say hello', stream: true });
    const types: string[] = [];
    let text = '';
    let completed: OpenAI.Responses.Response | undefined;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'response.output_text.delta') text += event.delta;
      if (event.type === 'response.completed') completed = event.response;
    }

    expect(text).toBe('Hello from the sandbox model!');
    expect(types.slice(0, 4)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.content_part.added',
    ]);
    expect(types.filter((t) => t === 'response.output_text.delta').length).toBeGreaterThan(1);
    expect(types.slice(-4)).toEqual([
      'response.output_text.done',
      'response.content_part.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(completed?.usage?.output_tokens).toBe(countTokens('Hello from the sandbox model!'));
    expect(completed?.usage?.input_tokens_details.cached_tokens).toBe(0);
  });

  it("the SDK's stream helper assembles the final response", async () => {
    const final = await openai.responses.stream({ model: 'gpt-5.4', input: 'hello there' }).finalResponse();
    expect(final.output_text).toBe('Hello from the sandbox model!');
  });

  it('reports a repeated prompt prefix of at least 1024 tokens as cached tokens', async () => {
    const ask = (question: string) =>
      openai.responses.create({ model: 'gpt-5.4', instructions: LONG_SYSTEM, input: question });
    const first = await ask('What is rule 3?');
    const second = await ask('What is rule 7?');

    expect(first.usage!.input_tokens).toBeGreaterThan(1024);
    expect(first.usage!.input_tokens_details.cached_tokens).toBe(0);
    const cached = second.usage!.input_tokens_details.cached_tokens;
    expect(cached).toBeGreaterThanOrEqual(countTokens(LONG_SYSTEM));
    expect(cached).toBeLessThan(second.usage!.input_tokens);
    expect(server.usageTotals().cachedInputTokens).toBe(cached);
  });

  it('does not cache a short prefix unless the requests share a prompt_cache_key', async () => {
    const ask = (prompt_cache_key?: string) =>
      openai.responses.create({
        model: 'gpt-5.4',
        instructions: 'Short instructions.',
        input: 'hi',
        ...(prompt_cache_key ? { prompt_cache_key } : {}),
      });
    await ask();
    expect((await ask()).usage!.input_tokens_details.cached_tokens).toBe(0);
    await ask('issue-42');
    expect((await ask('issue-42')).usage!.input_tokens_details.cached_tokens).toBeGreaterThan(0);
  });

  it('cuts the reply at max_output_tokens and marks the response incomplete', async () => {
    server.addRule({ reply: 'word '.repeat(100) });
    const response = await openai.responses.create({ model: 'gpt-5.4', input: 'go', max_output_tokens: 16 });
    expect(response.status).toBe('incomplete');
    expect(response.incomplete_details?.reason).toBe('max_output_tokens');
    expect(response.usage!.output_tokens).toBe(16);
  });

  it('reports reasoning tokens from the rule as part of the output', async () => {
    server.addRule({ reply: 'done', reasoningTokens: 300 });
    const response = await openai.responses.create({ model: 'gpt-5.4', input: 'think' });
    expect(response.usage!.output_tokens_details.reasoning_tokens).toBe(300);
    expect(response.usage!.output_tokens).toBe(300 + countTokens('done'));
  });

  it('logs the full request body, so a test can prove a planted secret never reached the model', async () => {
    const secret = 'ghp_PLANTEDsecret000000000000000000000000';
    await openai.responses.create({ model: 'gpt-5.4', input: 'summarise the diff (redacted)' });
    const sent = JSON.stringify(server.requests.map((r) => r.body));
    expect(sent).toContain('summarise the diff');
    expect(sent).not.toContain(secret);
  });
});

describe('OpenAI Chat Completions', () => {
  it('answers with the matching rule and usage including prompt_tokens_details.cached_tokens', async () => {
    const completion = await openai.chat.completions.create({
      model: 'gpt-4.1',
      messages: [
        { role: 'system', content: 'Be brief.' },
        { role: 'user', content: 'hello' },
      ],
    });
    expect(completion.object).toBe('chat.completion');
    expect(completion.choices[0]?.message.content).toBe('Hello from the sandbox model!');
    expect(completion.choices[0]?.finish_reason).toBe('stop');
    expect(completion.usage?.completion_tokens).toBe(countTokens('Hello from the sandbox model!'));
    expect(completion.usage?.prompt_tokens).toBeGreaterThanOrEqual(countTokens('Be brief.') + 1);
    expect(completion.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
  });

  it('streams chunks, then a usage chunk when include_usage is set, then [DONE]', async () => {
    const stream = await openai.chat.completions.create({
      model: 'gpt-4.1',
      messages: [{ role: 'user', content: 'hello' }],
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks: OpenAI.Chat.Completions.ChatCompletionChunk[] = [];
    for await (const chunk of stream) chunks.push(chunk);

    expect(chunks[0]?.choices[0]?.delta.role).toBe('assistant');
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe(
      'Hello from the sandbox model!',
    );
    expect(chunks.at(-2)?.choices[0]?.finish_reason).toBe('stop');
    const last = chunks.at(-1)!;
    expect(last.choices).toEqual([]);
    expect(last.usage?.completion_tokens).toBe(countTokens('Hello from the sandbox model!'));
    expect(last.usage?.prompt_tokens_details?.cached_tokens).toBe(0);
    expect(chunks.slice(0, -1).every((c) => c.usage === null)).toBe(true);
  });

  it('reports cached tokens when a long conversation prefix repeats', async () => {
    const ask = (question: string) =>
      openai.chat.completions.create({
        model: 'gpt-4.1',
        messages: [
          { role: 'system', content: LONG_SYSTEM },
          { role: 'user', content: question },
        ],
      });
    await ask('first');
    const second = await ask('second');
    expect(second.usage?.prompt_tokens_details?.cached_tokens).toBeGreaterThanOrEqual(
      countTokens(LONG_SYSTEM),
    );
  });

  it('lists the configured models', async () => {
    const ids: string[] = [];
    for await (const model of openai.models.list()) ids.push(model.id);
    expect(ids).toContain('gpt-5.4');
  });

  it('rejects a request without messages with a BadRequestError', async () => {
    await expect(openai.chat.completions.create({ model: 'gpt-4.1', messages: [] })).rejects.toBeInstanceOf(
      OpenAI.BadRequestError,
    );
  });
});
