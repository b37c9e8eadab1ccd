/**
 * Turns a parsed request into a completion: the scripted reply (rules), cut at the request's output limit,
 * with usage counted by the tokenizer and each provider's prompt-caching model.
 */
import { AnthropicPromptCache, OpenAiPromptCache } from './prompt-cache.js';
import { RuleBook } from './rules.js';
import type { Reply, Rule } from './rules.js';
import { countTokens, encodePrompt, truncateToTokens } from './tokens.js';
import type { Completion, LlmRequest, RequestLogEntry, RouteHandler, Usage, UsageTotals } from './types.js';
import { nowSeconds } from './request-parts.js';

export interface CacheOptions {
  /** Shortest prompt prefix OpenAI caches (1024 at OpenAI); a shared `prompt_cache_key` waives it. */
  openaiMinTokens?: number;
  /** Shortest prefix an Anthropic breakpoint caches (1024–4096 at Anthropic by model); 0 by default. */
  anthropicMinTokens?: number;
}

export interface EngineOptions {
  rules: Rule[];
  defaultReply: Reply;
  cache: CacheOptions;
  now: () => number;
}

export class LlmEngine {
  readonly rules: RuleBook;
  private readonly openaiCache: OpenAiPromptCache;
  private readonly anthropicCache: AnthropicPromptCache;

  constructor(private readonly options: EngineOptions) {
    this.rules = new RuleBook(options.rules, options.defaultReply);
    this.openaiCache = new OpenAiPromptCache(options.cache.openaiMinTokens ?? 1024);
    this.anthropicCache = new AnthropicPromptCache(options.cache.anthropicMinTokens ?? 0, options.now);
  }

  /** Back to the initial rules, with caches emptied. */
  reset(): void {
    this.rules.set(this.options.rules);
    this.rules.setDefault(this.options.defaultReply);
    this.openaiCache.clear();
    this.anthropicCache.clear();
  }

  async complete(handler: RouteHandler, req: LlmRequest): Promise<{ completion: Completion; rule: string }> {
    const scripted = await this.rules.reply(req);
    const reasoning = scripted.reasoningTokens;
    const budget =
      req.maxOutputTokens === undefined ? undefined : Math.max(0, req.maxOutputTokens - reasoning);
    const out =
      budget === undefined
        ? { text: scripted.text, truncated: false }
        : truncateToTokens(scripted.text, budget);
    const input = this.inputUsage(req);
    const completion: Completion = {
      id: handler.newId(),
      created: nowSeconds(this.options.now),
      text: out.text,
      finish: out.truncated ? 'length' : 'stop',
      usage: {
        inputTokens: input.total,
        cachedInputTokens: input.read,
        cacheCreationInputTokens: input.creation,
        outputTokens: countTokens(out.text) + reasoning,
        reasoningTokens: reasoning,
      },
      cacheCreationByTtl: input.byTtl,
    };
    return { completion, rule: scripted.rule };
  }

  private inputUsage(req: LlmRequest): {
    total: number;
    read: number;
    creation: number;
    byTtl: Completion['cacheCreationByTtl'];
  } {
    if (req.provider === 'anthropic') {
      const r = this.anthropicCache.account(req.model, req.segments);
      return { total: r.totalTokens, read: r.readTokens, creation: r.creationTokens, byTtl: r.creationByTtl };
    }
    const tokens = encodePrompt(req.segments);
    const read = this.openaiCache.lookup(req.model, tokens, req.promptCacheKey);
    return { total: tokens.length, read, creation: 0, byTtl: { '5m': 0, '1h': 0 } };
  }
}

const zero = (): Usage => ({
  inputTokens: 0,
  cachedInputTokens: 0,
  cacheCreationInputTokens: 0,
  outputTokens: 0,
  reasoningTokens: 0,
});

function add(into: Usage & { requests: number }, u: Usage): void {
  into.requests++;
  into.inputTokens += u.inputTokens;
  into.cachedInputTokens += u.cachedInputTokens;
  into.cacheCreationInputTokens += u.cacheCreationInputTokens;
  into.outputTokens += u.outputTokens;
  into.reasoningTokens += u.reasoningTokens;
}

/** Sums over the requests that produced a completion (faulted-before-generation requests carry no usage). */
export function usageTotals(entries: RequestLogEntry[]): UsageTotals {
  const totals: UsageTotals = { requests: 0, ...zero(), byModel: {} };
  for (const entry of entries) {
    if (!entry.usage) continue;
    add(totals, entry.usage);
    const model = entry.model ?? 'unknown';
    add((totals.byModel[model] ??= { requests: 0, ...zero() }), entry.usage);
  }
  return totals;
}
