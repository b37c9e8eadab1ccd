/**
 * Loading rules, the default reply and faults from a YAML (or JSON) file, for `autocode sandbox up` and
 * for tests that keep their scripts as fixtures. Errors name file:line:column (toolkit `parseConfig`).
 */
import { readFile } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { parseConfig } from '@autocode/toolkit';
import type { Fault } from './faults.js';
import type { Rule, RuleMatch } from './rules.js';

export interface LlmScript {
  defaultReply?: string;
  rules: Rule[];
  faults: Fault[];
}

const stringOrList = { oneOf: [{ type: 'string' }, { type: 'array', items: { type: 'string' } }] };
const target = {
  provider: { enum: ['openai', 'anthropic'] },
  route: { enum: ['responses', 'chat.completions', 'messages'] },
  model: { type: 'string' },
  after: { type: 'integer', minimum: 0 },
  times: { type: 'integer', minimum: 0 },
};

const SCHEMA = {
  type: 'object',
  additionalProperties: false,
  properties: {
    defaultReply: { type: 'string' },
    rules: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        oneOf: [{ required: ['reply'] }, { required: ['replyFile'] }],
        properties: {
          name: { type: 'string' },
          match: {
            type: 'object',
            additionalProperties: false,
            properties: {
              provider: target.provider,
              route: target.route,
              model: { type: 'string', description: 'exact id, or /regex/' },
              templateName: { type: 'string' },
              promptIncludes: stringOrList,
              systemIncludes: stringOrList,
            },
          },
          reply: { type: 'string' },
          replyFile: { type: 'string', description: 'path relative to this file' },
          times: target.times,
          reasoningTokens: { type: 'integer', minimum: 0 },
        },
      },
    },
    faults: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['kind'],
        properties: {
          ...target,
          kind: { enum: ['latency', 'rate_limit', 'server_error', 'malformed', 'stall', 'reset'] },
          ms: { type: 'integer', minimum: 0 },
          retryAfter: { type: 'number', minimum: 0 },
          status: { type: 'integer', minimum: 500, maximum: 599 },
          afterEvents: { type: 'integer', minimum: 0 },
        },
      },
    },
  },
};

interface RawRule extends Omit<Rule, 'reply' | 'match'> {
  match?: Omit<RuleMatch, 'model'> & { model?: string };
  reply?: string;
  replyFile?: string;
}

interface RawScript {
  defaultReply?: string;
  rules?: RawRule[];
  faults?: Fault[];
}

/** `/…/flags` in a file is a pattern; anything else is an exact model id. */
function modelMatcher(model: string | undefined): string | RegExp | undefined {
  const pattern = model === undefined ? undefined : /^\/(.+)\/([a-z]*)$/.exec(model);
  return pattern ? new RegExp(pattern[1] ?? '', pattern[2]) : model;
}

export async function loadLlmScript(file: string): Promise<LlmScript> {
  const raw = parseConfig<RawScript>(await readFile(file, 'utf8'), file, SCHEMA);
  const rules = await Promise.all(
    (raw.rules ?? []).map(async ({ replyFile, reply, match, ...rest }): Promise<Rule> => {
      const text =
        replyFile === undefined ? (reply ?? '') : await readFile(resolve(dirname(file), replyFile), 'utf8');
      const model = modelMatcher(match?.model);
      return { ...rest, reply: text, ...(match ? { match: { ...match, ...(model ? { model } : {}) } } : {}) };
    }),
  );
  return {
    ...(raw.defaultReply === undefined ? {} : { defaultReply: raw.defaultReply }),
    rules,
    faults: raw.faults ?? [],
  };
}
