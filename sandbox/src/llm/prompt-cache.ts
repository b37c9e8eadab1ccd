/**
 * Prompt-caching models, one per provider, so benchmarks can measure what caching saves.
 *
 * - OpenAI caches implicitly: a prompt whose token prefix was seen before (for the same model) reports that
 *   prefix as `cached_tokens`, once it is at least `minTokens` long (1024 at OpenAI). As a sandbox
 *   simplification a shared `prompt_cache_key` waives that minimum, so short test prompts can exercise it.
 * - Anthropic caches explicitly: each `cache_control` block is a breakpoint; the prefix up to it is written
 *   (cache creation) the first time and read on later requests. Like the real service, a breakpoint also
 *   finds a cached prefix up to 20 blocks before it, entries expire after their TTL (5 m or 1 h, refreshed
 *   on a hit), and a prefix shorter than `minTokens` is not cached.
 */
import { createHash } from 'node:crypto';
import type { PromptSegment } from './types.js';
import { encodeSegment } from './tokens.js';

/** OpenAI keeps the most recent prompts per model; enough for any test or benchmark run. */
const OPENAI_ENTRIES_PER_MODEL = 64;
/** Anthropic checks this many block boundaries back from each breakpoint. */
const ANTHROPIC_LOOKBACK_BLOCKS = 20;
const TTL_MS = { '5m': 5 * 60_000, '1h': 60 * 60_000 } as const;

function commonPrefix(a: number[], b: number[]): number {
  const n = Math.min(a.length, b.length);
  let i = 0;
  while (i < n && a[i] === b[i]) i++;
  return i;
}

export class OpenAiPromptCache {
  private readonly prompts = new Map<string, { tokens: number[]; key: string | undefined }[]>();

  constructor(private readonly minTokens: number) {}

  /** Cached tokens for this prompt; the prompt is then remembered for later requests. */
  lookup(model: string, tokens: number[], key: string | undefined): number {
    const seen = this.prompts.get(model) ?? [];
    let cached = 0;
    for (const entry of seen) {
      const shared = commonPrefix(entry.tokens, tokens);
      const eligible = shared >= this.minTokens || (key !== undefined && entry.key === key);
      if (eligible && shared > cached) cached = shared;
    }
    // Only the input is cached, never the whole prompt up to the last token the model must still read.
    cached = Math.min(cached, Math.max(0, tokens.length - 1));
    seen.push({ tokens, key });
    if (seen.length > OPENAI_ENTRIES_PER_MODEL) seen.shift();
    this.prompts.set(model, seen);
    return cached;
  }

  clear(): void {
    this.prompts.clear();
  }
}

export interface AnthropicCacheResult {
  totalTokens: number;
  readTokens: number;
  creationTokens: number;
  creationByTtl: { '5m': number; '1h': number };
}

export class AnthropicPromptCache {
  /** Prefix hash → when it expires and with which TTL it was written. */
  private readonly entries = new Map<string, { expiresAt: number; ttl: '5m' | '1h' }>();

  constructor(
    private readonly minTokens: number,
    private readonly now: () => number,
  ) {}

  account(model: string, segments: PromptSegment[]): AnthropicCacheResult {
    const now = this.now();
    const cumulative: number[] = [];
    const hashes: string[] = [];
    let total = 0;
    let hash = createHash('sha256').update(model).digest('hex');
    for (const segment of segments) {
      total += encodeSegment(segment).length;
      cumulative.push(total);
      // The breakpoint marker itself is not content: moving it must not change the prefix identity.
      hash = createHash('sha256').update(`${hash}\0${segment.role}\0${segment.text}`).digest('hex');
      hashes.push(hash);
    }
    const breakpoints = segments.flatMap((s, i) => (s.cacheControl ? [i] : []));
    const at = (i: number): number => cumulative[i] ?? 0;

    let readTokens = 0;
    for (const bp of breakpoints) {
      for (let j = bp; j >= Math.max(0, bp - ANTHROPIC_LOOKBACK_BLOCKS + 1); j--) {
        const entry = this.entries.get(hashes[j] ?? '');
        if (!entry || entry.expiresAt <= now) continue;
        entry.expiresAt = now + TTL_MS[entry.ttl];
        readTokens = Math.max(readTokens, at(j));
        break;
      }
    }

    const creationByTtl = { '5m': 0, '1h': 0 };
    let covered = readTokens;
    for (const bp of breakpoints) {
      const ttl = segments[bp]?.cacheControl?.ttl ?? '5m';
      if (at(bp) < this.minTokens) continue;
      const key = hashes[bp] ?? '';
      const existing = this.entries.get(key);
      if (!existing || existing.expiresAt <= now)
        this.entries.set(key, { expiresAt: now + TTL_MS[ttl], ttl });
      if (at(bp) > covered) {
        creationByTtl[ttl] += at(bp) - covered;
        covered = at(bp);
      }
    }
    return {
      totalTokens: total,
      readTokens,
      creationTokens: covered - readTokens,
      creationByTtl,
    };
  }

  clear(): void {
    this.entries.clear();
  }
}
