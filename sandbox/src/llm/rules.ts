/**
 * Scripted replies: an ordered list of rules, each matching on the request and giving the reply text. The
 * first rule that matches (and still has uses left) answers; otherwise the default reply does.
 */
import type { LlmRequest, Provider, Route } from './types.js';

export type ReplyFn = (req: LlmRequest) => string | Promise<string>;
export type Reply = string | ReplyFn;

/** Every given condition must hold. Substring conditions are case-sensitive; an array means "all of". */
export interface RuleMatch {
  provider?: Provider;
  route?: Route;
  /** Exact model id, or a pattern. */
  model?: string | RegExp;
  templateName?: string;
  /** Substring(s) of the non-system messages' text. */
  promptIncludes?: string | string[];
  /** Substring(s) of the system / developer / `instructions` text. */
  systemIncludes?: string | string[];
}

export interface Rule {
  /** Shown in the request log; defaults to the rule's position (`#0`, `#1`, …). */
  name?: string;
  match?: RuleMatch;
  reply: Reply;
  /** How many requests this rule answers before it stops matching; unlimited when omitted. */
  times?: number;
  /** Reasoning tokens to report (and bill as output) for replies from this rule. */
  reasoningTokens?: number;
}

export interface Scripted {
  rule: string;
  text: string;
  reasoningTokens: number;
}

function includesAll(haystack: string, needles: string | string[] | undefined): boolean {
  if (needles === undefined) return true;
  return (Array.isArray(needles) ? needles : [needles]).every((n) => haystack.includes(n));
}

export function matches(match: RuleMatch | undefined, req: LlmRequest): boolean {
  if (!match) return true;
  if (match.provider !== undefined && match.provider !== req.provider) return false;
  if (match.route !== undefined && match.route !== req.route) return false;
  if (match.model !== undefined) {
    const ok = typeof match.model === 'string' ? match.model === req.model : match.model.test(req.model);
    if (!ok) return false;
  }
  if (match.templateName !== undefined && match.templateName !== req.templateName) return false;
  return includesAll(req.prompt, match.promptIncludes) && includesAll(req.system, match.systemIncludes);
}

/** Rules with their use counters. `setRules` starts counters afresh; `add` puts a rule first. */
export class RuleBook {
  private rules: { rule: Rule; used: number }[] = [];

  constructor(
    rules: Rule[],
    private defaultReply: Reply,
  ) {
    this.set(rules);
  }

  set(rules: Rule[]): void {
    this.rules = rules.map((rule) => ({ rule, used: 0 }));
  }

  /** Runtime additions take precedence over the rules already there: a test overriding one reply wins. */
  add(rule: Rule): void {
    this.rules.unshift({ rule, used: 0 });
  }

  setDefault(reply: Reply): void {
    this.defaultReply = reply;
  }

  async reply(req: LlmRequest): Promise<Scripted> {
    for (const [index, entry] of this.rules.entries()) {
      const { rule } = entry;
      if (rule.times !== undefined && entry.used >= rule.times) continue;
      if (!matches(rule.match, req)) continue;
      entry.used++;
      return {
        rule: rule.name ?? `#${index}`,
        text: await render(rule.reply, req),
        reasoningTokens: rule.reasoningTokens ?? 0,
      };
    }
    return { rule: 'default', text: await render(this.defaultReply, req), reasoningTokens: 0 };
  }
}

async function render(reply: Reply, req: LlmRequest): Promise<string> {
  return typeof reply === 'string' ? reply : await reply(req);
}

const TEMPLATE_MARKER = /<!--\s*template:\s*([^\s>]+?)\s*-->/;

/**
 * The template a request was rendered from: OpenAI `metadata.template`, else a `<!-- template: NAME -->`
 * marker in the system text. Anthropic's `metadata` only accepts `user_id`, so the marker is the portable way.
 */
export function templateNameOf(metadata: unknown, system: string): string | undefined {
  if (metadata && typeof metadata === 'object') {
    const value = (metadata as Record<string, unknown>)['template'];
    if (typeof value === 'string' && value !== '') return value;
  }
  return TEMPLATE_MARKER.exec(system)?.[1];
}
