import { beforeAll, describe, expect, it } from '@jest/globals';
import { AnthropicPromptCache, OpenAiPromptCache } from './prompt-cache.js';
import { encode, loadTokenizer } from './tokens.js';
import type { PromptSegment } from './types.js';

beforeAll(async () => {
  await loadTokenizer();
});

const guide = (ttl: '5m' | '1h'): PromptSegment[] => [
  { role: 'system', text: 'Guideline: prefer clarity. '.repeat(40), cacheControl: { ttl } },
  { role: 'user', text: 'question' },
];

describe('Anthropic prompt cache', () => {
  it('expires a 5-minute entry after five idle minutes, but keeps a 1-hour entry', () => {
    let now = 0;
    const cache = new AnthropicPromptCache(0, () => now);
    const short = cache.account('m', guide('5m'));
    expect(short.creationByTtl['5m']).toBe(short.creationTokens);
    now = 4 * 60_000;
    expect(cache.account('m', guide('5m')).readTokens).toBe(short.creationTokens);
    now += 6 * 60_000; // the hit at minute 4 refreshed it; six more idle minutes expire it
    expect(cache.account('m', guide('5m')).readTokens).toBe(0);

    now += 10 * 60_000; // let the 5-minute entry lapse, so the 1-hour request writes its own
    const long = cache.account('m', guide('1h'));
    expect(long.creationByTtl['1h']).toBeGreaterThan(0);
    now += 30 * 60_000;
    expect(cache.account('m', guide('1h')).readTokens).toBe(long.creationByTtl['1h']);
  });

  it('does not cache a prefix shorter than the minimum, nor share entries across models', () => {
    const strict = new AnthropicPromptCache(100_000, () => 0);
    expect(strict.account('m', guide('5m')).creationTokens).toBe(0);
    expect(strict.account('m', guide('5m')).readTokens).toBe(0);

    const cache = new AnthropicPromptCache(0, () => 0);
    cache.account('claude-a', guide('5m'));
    expect(cache.account('claude-b', guide('5m')).readTokens).toBe(0);
  });
});

describe('OpenAI prompt cache', () => {
  it('caches the longest shared prefix once it reaches the minimum', () => {
    const cache = new OpenAiPromptCache(10);
    const base = encode('one two three four five six seven eight nine ten eleven twelve');
    expect(cache.lookup('m', [...base, 1, 2], undefined)).toBe(0);
    expect(cache.lookup('m', [...base, 3, 4], undefined)).toBe(base.length);
    expect(cache.lookup('m', base.slice(0, 5).concat([9, 9]), undefined)).toBe(0);
  });
});
