/**
 * Configuration: the repository's `.github/autocode-codegen.yaml` (checks, labels, reviewers, budget, review,
 * context size — read from the base commit, never from the model's working tree) and the provider list (the
 * `providers` input or `llm.providers` of autocode.yaml; API keys come from the environment variables they
 * name, never from the files).
 */
import { AutocodeError, ErrorCodes, autocodeConfigSchema, parseConfig } from '@autocode/toolkit';
import type { LlmProviderConfig } from '@autocode/toolkit';
import type { CheckCommand } from './checks/run.js';
import type { Price } from './llm/budget.js';
import type { ProviderConfig } from './llm/providers.js';

export const CODEGEN_CONFIG_FILE = '.github/autocode-codegen.yaml';

export interface CodegenConfig {
  checks?: CheckCommand[];
  labels?: string[];
  reviewers?: string[];
  team_reviewers?: string[];
  review?: boolean;
  context_tokens?: number;
  constraints?: string;
  budget?: { max_tokens?: number; max_cost_usd?: number };
  prices?: Record<string, Price>;
}

const logins = { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,38}$' } };
const price = {
  type: 'object',
  additionalProperties: false,
  required: ['input', 'output'],
  properties: Object.fromEntries(
    ['input', 'output', 'cached_input', 'cache_write'].map((k) => [k, { type: 'number', minimum: 0 }]),
  ),
};

export const codegenConfigSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    checks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'run'],
        properties: { name: { type: 'string', minLength: 1 }, run: { type: 'string', minLength: 1 } },
      },
    },
    labels: { type: 'array', items: { type: 'string', minLength: 1, maxLength: 50 } },
    reviewers: logins,
    team_reviewers: { type: 'array', items: { type: 'string', pattern: '^[a-z0-9][a-z0-9_-]*$' } },
    review: { type: 'boolean' },
    context_tokens: { type: 'integer', minimum: 1000, maximum: 1_000_000 },
    constraints: { type: 'string', maxLength: 4000 },
    budget: {
      type: 'object',
      additionalProperties: false,
      properties: {
        max_tokens: { type: 'integer', minimum: 1 },
        max_cost_usd: { type: 'number', exclusiveMinimum: 0 },
      },
    },
    prices: { type: 'object', additionalProperties: price },
  },
} as const;

export function parseCodegenConfig(text: string, file = CODEGEN_CONFIG_FILE): CodegenConfig {
  return parseConfig<CodegenConfig>(text, file, codegenConfigSchema);
}

const providersSchema = autocodeConfigSchema.properties.llm.properties.providers;

/** The `providers` input: a YAML list of { name, kind, model, base_url?, api_key_env? }. */
export function parseProviders(text: string, source = 'input `providers`'): LlmProviderConfig[] {
  const list = parseConfig<LlmProviderConfig[]>(text, source, { ...providersSchema, minItems: 1 });
  const names = new Set<string>();
  for (const p of list) {
    if (names.has(p.name))
      throw new AutocodeError(
        ErrorCodes.CONFIG_INVALID,
        `provider name ${p.name} is used twice in ${source}`,
      );
    names.add(p.name);
  }
  return list;
}

const DEFAULT_KEY_ENV: Record<LlmProviderConfig['kind'], string | undefined> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  'openai-compatible': undefined,
};

/** Resolve each provider's key from the environment variable it names (or the kind's usual one). */
export function resolveProviders(
  list: LlmProviderConfig[],
  env: Record<string, string | undefined>,
  mask: (s: string) => void,
): ProviderConfig[] {
  return list.map((p) => {
    const keyEnv = p.api_key_env ?? DEFAULT_KEY_ENV[p.kind];
    const apiKey = keyEnv ? env[keyEnv] : undefined;
    if (apiKey) mask(apiKey);
    return {
      name: p.name,
      kind: p.kind,
      model: p.model,
      ...(p.base_url ? { baseUrl: p.base_url } : {}),
      ...(apiKey ? { apiKey } : {}),
    };
  });
}
