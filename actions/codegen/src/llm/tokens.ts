/**
 * Token estimates for budgets and packing: js-tiktoken `o200k_base` (GPT-4o/4.1/5). Claude's tokenizer is not
 * public; o200k is within a few percent on English and code, enough to refuse a call before it is made.
 * The rank table is large, so it loads once, lazily (`loadTokenCounter()`), and counting is synchronous.
 */
import type { Tiktoken } from 'js-tiktoken/lite';

export interface TokenCounter {
  count(text: string): number;
}

let loading: Promise<TokenCounter> | undefined;

export function loadTokenCounter(): Promise<TokenCounter> {
  loading ??= (async () => {
    const [{ Tiktoken: Encoder }, ranks] = await Promise.all([
      import('js-tiktoken/lite'),
      import('js-tiktoken/ranks/o200k_base'),
    ]);
    const enc: Tiktoken = new Encoder(ranks.default);
    // Special-token text in a repository file must count as text, not raise.
    return { count: (text: string) => enc.encode(text, [], []).length };
  })();
  return loading;
}

/** A rough counter (4 characters per token) for tests and dry runs that must not load the tokenizer. */
export const approximateCounter: TokenCounter = { count: (text) => Math.ceil(text.length / 4) };
