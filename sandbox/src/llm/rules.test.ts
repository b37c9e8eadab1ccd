import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import OpenAI from 'openai';
import { isAutocodeError } from '@autocode/toolkit';
import { RuleBook, templateNameOf } from './rules.js';
import { loadLlmScript } from './script.js';
import { startLlmServer } from './server.js';
import type { LlmRequest } from './types.js';

function request(overrides: Partial<LlmRequest> = {}): LlmRequest {
  return {
    provider: 'openai',
    route: 'responses',
    model: 'gpt-5.4',
    stream: false,
    system: '',
    prompt: '',
    templateName: undefined,
    segments: [],
    maxOutputTokens: undefined,
    promptCacheKey: undefined,
    body: {},
    ...overrides,
  };
}

describe('rules', () => {
  it('uses a rule `times` times, then falls through to the next', async () => {
    const book = new RuleBook([{ reply: 'first', times: 2 }, { reply: 'then' }], 'default');
    const replies = [];
    for (let i = 0; i < 3; i++) replies.push((await book.reply(request())).text);
    expect(replies).toEqual(['first', 'first', 'then']);
  });

  it('puts a rule added at runtime ahead of the existing ones; set() restarts the counters', async () => {
    const book = new RuleBook([{ reply: 'base', times: 1 }], 'default');
    book.add({ name: 'override', match: { model: /^gpt-5/ }, reply: 'override' });
    expect(await book.reply(request())).toMatchObject({ rule: 'override', text: 'override' });
    expect((await book.reply(request({ model: 'o4-mini' }))).text).toBe('base');
    expect((await book.reply(request({ model: 'o4-mini' }))).text).toBe('default');
    book.set([{ reply: 'base', times: 1 }]);
    expect((await book.reply(request({ model: 'o4-mini' }))).text).toBe('base');
  });

  it('hands the request to a reply function', async () => {
    const book = new RuleBook([{ reply: (req) => `echo: ${req.prompt}` }], 'default');
    expect((await book.reply(request({ prompt: 'ping' }))).text).toBe('echo: ping');
  });

  it('requires every given condition, and every listed substring', async () => {
    const book = new RuleBook(
      [{ match: { provider: 'anthropic', promptIncludes: ['a', 'b'], systemIncludes: 'sys' }, reply: 'hit' }],
      'miss',
    );
    const anthropic = { provider: 'anthropic' as const, system: 'sys' };
    expect((await book.reply(request({ ...anthropic, prompt: 'a b' }))).text).toBe('hit');
    expect((await book.reply(request({ ...anthropic, prompt: 'a' }))).text).toBe('miss');
    expect((await book.reply(request({ system: 'sys', prompt: 'a b' }))).text).toBe('miss');
  });

  it('takes the template name from metadata, else from a marker in the system text', () => {
    expect(templateNameOf({ template: 'codegen/plan' }, '')).toBe('codegen/plan');
    expect(templateNameOf(undefined, 'intro\n<!-- template: review/pr -->\nrest')).toBe('review/pr');
    expect(templateNameOf({ user_id: 'u' }, 'no marker')).toBeUndefined();
  });
});

describe('script files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'llm-script-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('loads rules, a reply file, a model pattern and faults from YAML, and the server plays them', async () => {
    await writeFile(join(dir, 'plan.md'), 'A plan read from a file.');
    const file = join(dir, 'llm.yaml');
    await writeFile(
      file,
      [
        'defaultReply: nothing scripted',
        'rules:',
        '  - name: plan',
        '    match: { templateName: codegen/plan, model: "/^gpt-5/" }',
        '    replyFile: plan.md',
        'faults:',
        '  - { kind: rate_limit, provider: openai, times: 1, retryAfter: 3 }',
      ].join('\n'),
    );
    const script = await loadLlmScript(file);
    expect(script.rules[0]?.match?.model).toEqual(/^gpt-5/);

    const server = await startLlmServer(script);
    try {
      const openai = new OpenAI({
        baseURL: server.openaiBaseUrl,
        apiKey: server.apiKeys.openai,
        maxRetries: 0,
      });
      const ask = () =>
        openai.responses.create({ model: 'gpt-5.4', input: 'x', metadata: { template: 'codegen/plan' } });
      await expect(ask()).rejects.toBeInstanceOf(OpenAI.RateLimitError);
      expect((await ask()).output_text).toBe('A plan read from a file.');
      const other = await openai.responses.create({
        model: 'gpt-4.1',
        input: 'x',
        metadata: { template: 'codegen/plan' },
      });
      expect(other.output_text).toBe('nothing scripted');
    } finally {
      await server.stop();
    }
  });

  it('rejects an unknown fault kind with CONFIG_INVALID pointing at the line', async () => {
    const file = join(dir, 'bad.yaml');
    await writeFile(file, 'faults:\n  - kind: explode\n');
    const error = await loadLlmScript(file).catch((e: unknown) => e);
    expect(isAutocodeError(error) && error.code).toBe('CONFIG_INVALID');
    expect(isAutocodeError(error) && error.location?.line).toBe(2);
  });
});
