/**
 * The LLM router: response cache first (a hit spends zero tokens), then providers in order. Before every
 * attempt the budget is checked against the tokenizer's estimate; each attempt runs under watchdogs —
 * time to first byte past the latency threshold (default 10 s, the seed's "switch provider" alert) aborts
 * and fails over to the next provider (which is then tried first for the rest of the run), an idle stream
 * aborts, and a hard request timeout caps everything. 429 and 5xx are retried on the same provider,
 * waiting `retry-after` when given (backoff otherwise), up to `maxRetries`; other errors fail over.
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { Logger } from '@autocode/toolkit';
import { silentLogger } from '@autocode/toolkit';
import type { Budget, Price } from './budget.js';
import { priceFor } from './budget.js';
import type { ResponseCache } from './cache.js';
import { noCache, promptHash } from './cache.js';
import type { TokenCounter } from './tokens.js';
import type { CallResult, LlmCall, LlmProvider, ProviderReply } from './types.js';
import { ZERO_USAGE } from './types.js';

export interface RouterOptions {
  providers: LlmProvider[];
  budget: Budget;
  counter: TokenCounter;
  cache?: ResponseCache;
  prices?: Record<string, Price>;
  /** Time to first byte after which the next provider is tried (default 10 000 ms). */
  latencyThresholdMs?: number;
  /** Longest silence inside a stream (default 60 000 ms). */
  idleTimeoutMs?: number;
  /** Hard cap per attempt (default 600 000 ms). */
  requestTimeoutMs?: number;
  /** Retries per provider on 429/5xx/connection errors (default 2). */
  maxRetries?: number;
  /** A `retry-after` longer than this fails over instead of waiting (default 60 000 ms). */
  maxRetryAfterMs?: number;
  backoffMs?: number;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  log?: Logger;
}

type FailureKind = 'latency' | 'idle' | 'timeout' | 'rate_limit' | 'server' | 'connection' | 'client';

interface Failure {
  kind: FailureKind;
  message: string;
  retryAfterMs?: number;
}

const RETRYABLE: FailureKind[] = ['rate_limit', 'server', 'connection', 'idle', 'timeout'];

/** Seconds, or an HTTP date; `retry-after-ms` (OpenAI) wins when present. */
export function retryAfterMs(headers: Headers | undefined, now: number): number | undefined {
  const ms = Number(headers?.get('retry-after-ms'));
  if (Number.isFinite(ms) && ms > 0) return ms;
  const raw = headers?.get('retry-after');
  if (!raw) return undefined;
  const seconds = Number(raw);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(raw);
  return Number.isFinite(date) ? Math.max(0, date - now) : undefined;
}

function classify(err: unknown, aborted: FailureKind | undefined, now: number): Failure {
  const message = err instanceof Error ? err.message : String(err);
  if (aborted) return { kind: aborted, message: `${aborted} watchdog fired` };
  const status = (err as { status?: unknown }).status;
  if (typeof status === 'number') {
    const headers = (err as { headers?: Headers }).headers;
    if (status === 429) return { kind: 'rate_limit', message, retryAfterMs: retryAfterMs(headers, now) };
    if (status >= 500 || status === 408 || status === 409) {
      return { kind: 'server', message, retryAfterMs: retryAfterMs(headers, now) };
    }
    return { kind: 'client', message };
  }
  return { kind: 'connection', message };
}

export class LlmRouter {
  private readonly order: LlmProvider[];
  private readonly cache: ResponseCache;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly now: () => number;
  private readonly log: Logger;

  constructor(private readonly options: RouterOptions) {
    if (options.providers.length === 0) {
      throw new AutocodeError(ErrorCodes.CONFIG_INVALID, 'no LLM provider is configured', {
        hint: 'configure at least one provider (input `providers` or llm.providers in autocode.yaml)',
      });
    }
    this.order = [...options.providers];
    this.cache = options.cache ?? noCache;
    this.sleep = options.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.now = options.now ?? Date.now;
    this.log = options.log ?? silentLogger;
  }

  /** Token estimate of a call's prompt (what the budget is checked against). */
  estimate(call: LlmCall): number {
    const { counter } = this.options;
    // ~4 tokens of framing per message, as both chat formats add.
    return counter.count(call.system) + call.messages.reduce((n, m) => n + counter.count(m.content) + 4, 4);
  }

  async complete(call: LlmCall): Promise<CallResult> {
    const hash = promptHash(call);
    const started = this.now();
    const hit = await this.cache.get(hash).catch(() => undefined);
    if (hit) {
      this.options.budget.recordCacheHit();
      this.log.info(`LLM ${call.template}: response cache hit (${hash.slice(0, 19)}…), 0 tokens`);
      return {
        text: hit.text,
        provider: hit.provider,
        model: hit.model,
        usage: { ...ZERO_USAGE },
        costUsd: 0,
        cached: true,
        promptHash: hash,
        latencyMs: 0,
        attempts: [],
      };
    }
    const inputTokens = this.estimate(call);
    const attempts: CallResult['attempts'] = [];
    const providers = [...this.order];
    for (let p = 0; p < providers.length; p++) {
      const provider = providers[p]!;
      const price = priceFor(provider.model, provider.kind, this.options.prices);
      const maxRetries = this.options.maxRetries ?? 2;
      for (let attempt = 0; attempt <= maxRetries; attempt++) {
        this.options.budget.check({
          inputTokens,
          maxOutputTokens: call.maxOutputTokens,
          price,
          model: provider.model,
        });
        const t0 = this.now();
        const outcome = await this.attempt(provider, call, p < providers.length - 1);
        const ms = this.now() - t0;
        if ('reply' in outcome) {
          attempts.push({ provider: provider.name, outcome: 'ok', ms });
          const costUsd = this.options.budget.record(outcome.reply.usage, price);
          await this.cache
            .set(hash, {
              text: outcome.reply.text,
              provider: provider.name,
              model: outcome.reply.model,
              createdAt: new Date(this.now()).toISOString(),
            })
            .catch((err: unknown) =>
              this.log.warning(`LLM response cache write failed: ${(err as Error).message}`),
            );
          return {
            text: outcome.reply.text,
            provider: provider.name,
            model: outcome.reply.model,
            usage: outcome.reply.usage,
            costUsd,
            cached: false,
            promptHash: hash,
            latencyMs: this.now() - started,
            attempts,
          };
        }
        const { failure } = outcome;
        attempts.push({
          provider: provider.name,
          outcome: `${failure.kind}: ${failure.message}`.slice(0, 300),
          ms,
        });
        if (failure.kind === 'latency') {
          this.log.warning(
            `LLM provider ${provider.name} gave no first byte within ${this.options.latencyThresholdMs ?? 10_000} ms; failing over`,
          );
          this.demote(provider);
          break;
        }
        if (!RETRYABLE.includes(failure.kind) || attempt === maxRetries) {
          this.log.warning(`LLM provider ${provider.name} failed (${failure.kind}: ${failure.message})`);
          break;
        }
        const wait = failure.retryAfterMs ?? (this.options.backoffMs ?? 1000) * 2 ** attempt;
        if (wait > (this.options.maxRetryAfterMs ?? 60_000)) {
          this.log.warning(
            `LLM provider ${provider.name} asks to retry after ${wait} ms; failing over instead`,
          );
          break;
        }
        this.log.info(`LLM provider ${provider.name}: ${failure.kind}; retrying in ${wait} ms`);
        await this.sleep(wait);
      }
    }
    throw new AutocodeError(ErrorCodes.UPSTREAM_FAILED, `every LLM provider failed for ${call.template}`, {
      hint: 'see the attempts in the report; check the provider status, keys and base URLs',
      details: { attempts },
    });
  }

  /** A provider that missed the latency threshold goes last for the rest of the run. */
  private demote(provider: LlmProvider): void {
    const i = this.order.indexOf(provider);
    if (i >= 0 && this.order.length > 1) this.order.push(...this.order.splice(i, 1));
  }

  private async attempt(
    provider: LlmProvider,
    call: LlmCall,
    canFailOver: boolean,
  ): Promise<{ reply: ProviderReply } | { failure: Failure }> {
    const controller = new AbortController();
    let aborted: FailureKind | undefined;
    const abort = (kind: FailureKind) => {
      aborted ??= kind;
      controller.abort(new Error(`${kind} watchdog`));
    };
    const idleMs = this.options.idleTimeoutMs ?? 60_000;
    // The latency threshold only applies while there is somewhere to fail over to.
    let watchdog = canFailOver
      ? setTimeout(() => abort('latency'), this.options.latencyThresholdMs ?? 10_000)
      : setTimeout(() => abort('idle'), idleMs);
    const hardCap = setTimeout(() => abort('timeout'), this.options.requestTimeoutMs ?? 600_000);
    const onActivity = () => {
      clearTimeout(watchdog);
      watchdog = setTimeout(() => abort('idle'), idleMs);
    };
    try {
      return { reply: await provider.complete(call, { signal: controller.signal, onActivity }) };
    } catch (err) {
      return { failure: classify(err, aborted, this.now()) };
    } finally {
      clearTimeout(watchdog);
      clearTimeout(hardCap);
    }
  }
}
