/**
 * `autocode.yaml`: how a deployment (or `npm start`) reaches GitHub, the edge API and LLM providers.
 * Secrets are never stored here: only the names of environment variables or files that hold them.
 */
import { parseConfig } from './config.js';

export interface LlmProviderConfig {
  name: string;
  kind: 'openai' | 'anthropic' | 'openai-compatible';
  model: string;
  base_url?: string;
  api_key_env?: string;
}

export interface AutocodeConfig {
  github?: {
    api_url?: string;
    app_id?: string | number;
    private_key_file?: string;
    installation_id?: number;
    token_env?: string;
  };
  edge?: { url?: string; audience?: string; kill_switch_fail_open?: boolean };
  llm?: {
    providers?: LlmProviderConfig[];
    budget?: { max_tokens_per_run?: number; max_cost_usd_per_run?: number };
  };
}

export const autocodeConfigSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://autocode.dev/schemas/autocode.schema.json',
  title: 'autocode system config (autocode.yaml)',
  type: 'object',
  additionalProperties: false,
  properties: {
    github: {
      type: 'object',
      additionalProperties: false,
      properties: {
        api_url: { type: 'string', pattern: '^https?://' },
        app_id: { type: ['string', 'integer'] },
        private_key_file: { type: 'string' },
        installation_id: { type: 'integer', minimum: 1 },
        token_env: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$' },
      },
    },
    edge: {
      type: 'object',
      additionalProperties: false,
      properties: {
        url: { type: 'string', pattern: '^https?://' },
        audience: { type: 'string' },
        kill_switch_fail_open: { type: 'boolean' },
      },
    },
    llm: {
      type: 'object',
      additionalProperties: false,
      properties: {
        providers: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['name', 'kind', 'model'],
            properties: {
              name: { type: 'string' },
              kind: { enum: ['openai', 'anthropic', 'openai-compatible'] },
              model: { type: 'string' },
              base_url: { type: 'string', pattern: '^https?://' },
              api_key_env: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$' },
            },
          },
        },
        budget: {
          type: 'object',
          additionalProperties: false,
          properties: {
            max_tokens_per_run: { type: 'integer', minimum: 1 },
            max_cost_usd_per_run: { type: 'number', exclusiveMinimum: 0 },
          },
        },
      },
    },
  },
} as const;

export function parseAutocodeConfig(text: string, file = 'autocode.yaml'): AutocodeConfig {
  return parseConfig<AutocodeConfig>(text, file, autocodeConfigSchema);
}
