import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import Anthropic from '@anthropic-ai/sdk';
import { startLlmServer } from './server.js';
import type { LlmServer } from './server.js';
import { countTokens } from './tokens.js';

let server: LlmServer;
let anthropic: Anthropic;
const MODEL = 'claude-sonnet-4-6';

const REVIEW_SYSTEM = '<!-- template: review/pr -->\nYou review pull requests for autocode.';
const REVIEW = {
  model: MODEL,
  max_tokens: 256,
  system: REVIEW_SYSTEM,
  messages: [{ role: 'user' as const, content: 'Review this diff.' }],
};
const GUIDE = Array.from({ length: 60 }, (_, i) => `Guideline ${i}: prefer clarity over cleverness.`).join(
  '\n',
);

beforeAll(async () => {
  server = await startLlmServer({
    rules: [
      {
        name: 'review',
        match: { provider: 'anthropic', templateName: 'review/pr' },
        reply: 'LGTM, ship it.',
      },
      {
        name: 'limerick',
        match: { systemIncludes: 'poet', promptIncludes: 'limerick' },
        reply: 'There once was a repo…',
      },
    ],
    defaultReply: 'Default answer.',
  });
  anthropic = new Anthropic({
    baseURL: server.anthropicBaseUrl,
    apiKey: server.apiKeys.anthropic,
    maxRetries: 0,
  });
});

afterAll(() => server.stop());
beforeEach(() => server.reset());

describe('Anthropic Messages API', () => {
  it('answers with the rule chosen by the template marker in the system prompt', async () => {
    const message = await anthropic.messages.create(REVIEW);
    expect(message.content).toEqual([{ type: 'text', text: 'LGTM, ship it.' }]);
    expect(message.stop_reason).toBe('end_turn');
    expect(message.id).toMatch(/^msg_01/);
    expect(message.usage.output_tokens).toBe(countTokens('LGTM, ship it.'));
    expect(message.usage.input_tokens).toBeGreaterThanOrEqual(countTokens(REVIEW_SYSTEM));
    expect(message.usage.cache_creation_input_tokens).toBe(0);
    expect(message.usage.cache_read_input_tokens).toBe(0);
    expect(server.requests[0]).toMatchObject({ templateName: 'review/pr', rule: 'review' });
  });

  it('matches rules on system and prompt substrings, and falls back to the default reply', async () => {
    const ask = (system: string) =>
      anthropic.messages.create({
        model: MODEL,
        max_tokens: 64,
        system,
        messages: [{ role: 'user', content: 'write a limerick' }],
      });
    expect((await ask('You are a poet.')).content[0]).toMatchObject({ text: 'There once was a repo…' });
    expect((await ask('You are an accountant.')).content[0]).toMatchObject({ text: 'Default answer.' });
  });

  it('streams message_start, ping, text deltas, message_delta with usage and message_stop', async () => {
    const stream = await anthropic.messages.create({ ...REVIEW, stream: true });
    const types: string[] = [];
    let text = '';
    let outputTokens = 0;
    for await (const event of stream) {
      types.push(event.type);
      if (event.type === 'content_block_delta' && event.delta.type === 'text_delta') text += event.delta.text;
      if (event.type === 'message_delta') outputTokens = event.usage.output_tokens;
    }
    expect(text).toBe('LGTM, ship it.');
    expect(types[0]).toBe('message_start');
    expect(types[1]).toBe('content_block_start');
    expect(types.filter((t) => t === 'content_block_delta').length).toBeGreaterThan(1);
    expect(types.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(outputTokens).toBe(countTokens('LGTM, ship it.'));
  });

  it("the SDK's MessageStream assembles the final message with usage", async () => {
    const final = await anthropic.messages
      .stream({ model: MODEL, max_tokens: 256, messages: [{ role: 'user', content: 'anything' }] })
      .finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'Default answer.' }]);
    expect(final.usage.output_tokens).toBe(countTokens('Default answer.'));
  });

  it('writes a cache_control prefix on first use and reads it on the next request', async () => {
    const ask = (question: string) =>
      anthropic.messages.create({
        model: MODEL,
        max_tokens: 64,
        system: [{ type: 'text', text: GUIDE, cache_control: { type: 'ephemeral' } }],
        messages: [{ role: 'user', content: question }],
      });
    const first = await ask('Is this clear?');
    const second = await ask('And this?');

    expect(first.usage.cache_creation_input_tokens).toBeGreaterThanOrEqual(countTokens(GUIDE));
    expect(first.usage.cache_read_input_tokens).toBe(0);
    expect(first.usage.cache_creation?.ephemeral_5m_input_tokens).toBe(
      first.usage.cache_creation_input_tokens,
    );
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBe(0);
    // input_tokens counts only what follows the last breakpoint.
    expect(second.usage.input_tokens).toBeLessThan(20);
    const totals = server.usageTotals();
    expect(totals.cacheCreationInputTokens).toBe(first.usage.cache_creation_input_tokens);
    expect(totals.cachedInputTokens).toBe(second.usage.cache_read_input_tokens);
  });

  it('reads the cached prefix when a conversation moves its breakpoint forward', async () => {
    const turn1 = [{ role: 'user' as const, content: [{ type: 'text' as const, text: GUIDE }] }];
    const first = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 64,
      messages: [
        { role: 'user', content: [{ type: 'text', text: GUIDE, cache_control: { type: 'ephemeral' } }] },
      ],
    });
    const second = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 64,
      messages: [
        ...turn1,
        { role: 'assistant', content: 'Noted.' },
        {
          role: 'user',
          content: [{ type: 'text', text: 'Next question', cache_control: { type: 'ephemeral' } }],
        },
      ],
    });
    expect(second.usage.cache_read_input_tokens).toBe(first.usage.cache_creation_input_tokens);
    expect(second.usage.cache_creation_input_tokens).toBeGreaterThan(0);
  });

  it('rejects metadata keys other than user_id, as the service does', async () => {
    const call = anthropic.messages.create({
      model: MODEL,
      max_tokens: 64,
      messages: [{ role: 'user', content: 'hi' }],
      metadata: { template: 'x' } as unknown as Anthropic.Metadata,
    });
    await expect(call).rejects.toBeInstanceOf(Anthropic.BadRequestError);
  });

  it('rejects more than four cache_control breakpoints', async () => {
    const block = { type: 'text' as const, text: 'x', cache_control: { type: 'ephemeral' as const } };
    const call = anthropic.messages.create({
      model: MODEL,
      max_tokens: 64,
      messages: [{ role: 'user', content: [block, block, block, block, block] }],
    });
    await expect(call).rejects.toThrow(/maximum of 4 blocks with cache_control/);
  });

  it('cuts the reply at max_tokens with stop_reason max_tokens', async () => {
    server.addRule({ reply: 'token '.repeat(50) });
    const message = await anthropic.messages.create({
      model: MODEL,
      max_tokens: 5,
      messages: [{ role: 'user', content: 'go' }],
    });
    expect(message.stop_reason).toBe('max_tokens');
    expect(message.usage.output_tokens).toBe(5);
  });

  it('counts input tokens like a Messages request would be billed', async () => {
    const params = { model: MODEL, system: REVIEW_SYSTEM, messages: REVIEW.messages };
    const counted = await anthropic.messages.countTokens(params);
    const message = await anthropic.messages.create({ ...params, max_tokens: 64 });
    expect(counted.input_tokens).toBe(message.usage.input_tokens);
  });

  it('lists models for an Anthropic client', async () => {
    const page = await anthropic.models.list();
    expect(page.data.map((m) => m.id)).toContain(MODEL);
  });
});
