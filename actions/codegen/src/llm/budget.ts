/**
 * The per-run token and cost budget, enforced outside the model and **before** every call: the estimate is
 * the tokenizer's count of the prompt plus the call's full output allowance (the worst case), priced at the
 * model's list price. A call that could cross either limit is refused (POLICY_DENIED, rule `llm-budget`)
 * without contacting the provider. Actual usage is recorded after each call.
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { LlmUsage, ProviderKind } from './types.js';

/** USD per million tokens. */
export interface Price {
  input: number;
  output: number;
  /** Cache reads (default: input). */
  cached_input?: number;
  /** Cache writes (Anthropic; default: input). */
  cache_write?: number;
}

/**
 * List prices by model family (USD / 1M tokens), most specific first. Override or extend with the
 * `prices` config; self-hosted (`openai-compatible`) models cost nothing unless priced.
 */
export const DEFAULT_PRICES: [RegExp, Price][] = [
  [/^gpt-5(?:\.\d+)?-nano/, { input: 0.05, cached_input: 0.005, output: 0.4 }],
  [/^gpt-5(?:\.\d+)?-mini/, { input: 0.25, cached_input: 0.025, output: 2 }],
  [/^gpt-5/, { input: 1.25, cached_input: 0.125, output: 10 }],
  [/^gpt-4\.1-mini/, { input: 0.4, cached_input: 0.1, output: 1.6 }],
  [/^gpt-4\.1/, { input: 2, cached_input: 0.5, output: 8 }],
  [/^gpt-4o-mini/, { input: 0.15, cached_input: 0.075, output: 0.6 }],
  [/^gpt-4o/, { input: 2.5, cached_input: 1.25, output: 10 }],
  [/^claude-opus-4/, { input: 15, cached_input: 1.5, cache_write: 18.75, output: 75 }],
  [/^claude-sonnet-4/, { input: 3, cached_input: 0.3, cache_write: 3.75, output: 15 }],
  [/^claude-haiku-4/, { input: 1, cached_input: 0.1, cache_write: 1.25, output: 5 }],
];

/** Unknown hosted models are priced like the most expensive family: a budget must not be bypassed by a name. */
const UNKNOWN_HOSTED: Price = { input: 15, output: 75 };

export function priceFor(model: string, kind: ProviderKind, overrides: Record<string, Price> = {}): Price {
  if (overrides[model]) return overrides[model];
  const known = DEFAULT_PRICES.find(([re]) => re.test(model))?.[1];
  if (known) return known;
  return kind === 'openai-compatible' ? { input: 0, output: 0 } : UNKNOWN_HOSTED;
}

export function costOf(usage: LlmUsage, price: Price): number {
  const fresh = usage.inputTokens - usage.cachedInputTokens - usage.cacheWriteTokens;
  return (
    (fresh * price.input +
      usage.cachedInputTokens * (price.cached_input ?? price.input) +
      usage.cacheWriteTokens * (price.cache_write ?? price.input) +
      usage.outputTokens * price.output) /
    1e6
  );
}

export interface BudgetLimits {
  maxTokens?: number;
  maxCostUsd?: number;
}

export interface BudgetTotals extends LlmUsage {
  costUsd: number;
  calls: number;
  cacheHits: number;
}

export class Budget {
  private spent: BudgetTotals = {
    inputTokens: 0,
    outputTokens: 0,
    cachedInputTokens: 0,
    cacheWriteTokens: 0,
    costUsd: 0,
    calls: 0,
    cacheHits: 0,
  };

  constructor(readonly limits: BudgetLimits) {}

  /** Throws POLICY_DENIED when the worst case of this call could cross a limit. */
  check(estimate: { inputTokens: number; maxOutputTokens: number; price: Price; model: string }): void {
    const tokens =
      this.spent.inputTokens + this.spent.outputTokens + estimate.inputTokens + estimate.maxOutputTokens;
    const cost =
      this.spent.costUsd +
      (estimate.inputTokens * estimate.price.input + estimate.maxOutputTokens * estimate.price.output) / 1e6;
    const over: string[] = [];
    if (this.limits.maxTokens !== undefined && tokens > this.limits.maxTokens) {
      over.push(`${tokens} tokens > the run's ${this.limits.maxTokens}`);
    }
    if (this.limits.maxCostUsd !== undefined && cost > this.limits.maxCostUsd) {
      over.push(`$${cost.toFixed(4)} > the run's $${this.limits.maxCostUsd}`);
    }
    if (over.length) {
      throw new AutocodeError(
        ErrorCodes.POLICY_DENIED,
        `LLM budget: a call to ${estimate.model} (≈${estimate.inputTokens} input + up to ${estimate.maxOutputTokens} output tokens) could reach ${over.join(' and ')}; the call was not made`,
        {
          hint: 'raise max-tokens / max-cost-usd, shorten the command, or lower context-tokens',
          details: { rule: 'llm-budget', spent: { ...this.spent }, limits: { ...this.limits } },
        },
      );
    }
  }

  record(usage: LlmUsage, price: Price): number {
    const cost = costOf(usage, price);
    this.spent.inputTokens += usage.inputTokens;
    this.spent.outputTokens += usage.outputTokens;
    this.spent.cachedInputTokens += usage.cachedInputTokens;
    this.spent.cacheWriteTokens += usage.cacheWriteTokens;
    this.spent.costUsd += cost;
    this.spent.calls++;
    return cost;
  }

  recordCacheHit(): void {
    this.spent.cacheHits++;
  }

  totals(): BudgetTotals {
    return { ...this.spent };
  }
}
