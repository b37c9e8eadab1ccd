/**
 * Token counting with a real BPE tokenizer (js-tiktoken, `o200k_base`: the encoding of GPT-4o, GPT-4.1,
 * GPT-5 and the o-series). Claude's tokenizer is not public; o200k counts are within a few percent for
 * English and code, which is what cost and caching measurements need.
 *
 * The rank table is ~2 MB of JS and takes ~0.5 s to load, so it is imported lazily once per process and
 * `loadTokenizer()` is awaited when a server starts; everything after that is synchronous.
 */
import type { Tiktoken } from 'js-tiktoken/lite';
import type { PromptSegment } from './types.js';

let tokenizer: Tiktoken | undefined;
let loading: Promise<Tiktoken> | undefined;

export function loadTokenizer(): Promise<Tiktoken> {
  loading ??= (async () => {
    const [{ Tiktoken: Encoder }, ranks] = await Promise.all([
      import('js-tiktoken/lite'),
      import('js-tiktoken/ranks/o200k_base'),
    ]);
    tokenizer = new Encoder(ranks.default);
    return tokenizer;
  })();
  return loading;
}

function encoder(): Tiktoken {
  if (!tokenizer) throw new Error('tokenizer not loaded: await loadTokenizer() first');
  return tokenizer;
}

/** Tokens of plain text. Special-token strings such as `<|endoftext|>` are counted as ordinary text. */
export function encode(text: string): number[] {
  return encoder().encode(text, [], []);
}

export function countTokens(text: string): number {
  return text === '' ? 0 : encode(text).length;
}

/** Cut `text` to at most `max` tokens; `truncated` says whether anything was dropped. */
export function truncateToTokens(text: string, max: number): { text: string; truncated: boolean } {
  const tokens = encode(text);
  if (tokens.length <= max) return { text, truncated: false };
  return { text: encoder().decode(tokens.slice(0, Math.max(0, max))), truncated: true };
}

/**
 * Tokens of one prompt segment as the model sees it: a role header plus the text. The header stands in for
 * the chat template's per-message overhead (~4 tokens), so counts track the providers' own.
 */
export function encodeSegment(segment: PromptSegment): number[] {
  return encode(`<|${segment.role}|>\n${segment.text}\n`);
}

/** Token ids of a whole prompt: the concatenation of its segments, so equal prefixes give equal ids. */
export function encodePrompt(segments: PromptSegment[]): number[] {
  return segments.flatMap(encodeSegment);
}
