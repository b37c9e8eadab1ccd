/**
 * Branch protection as code: `rulesets.yaml` names each ruleset, the repositories it applies to and the seed's
 * protection (human review on production branches, required status checks including the policy check,
 * verified commits). Parsed with the toolkit's parseConfig (errors at file:line:column).
 */
import { parseConfig } from '@autocode/toolkit';

export interface RulesetSpec {
  name: string;
  repos: string[];
  /** Ref patterns; `~DEFAULT_BRANCH` is GitHub's alias for the default branch. */
  branches: string[];
  exclude?: string[];
  enforcement?: 'active' | 'evaluate' | 'disabled';
  required_approvals?: number;
  dismiss_stale_reviews_on_push?: boolean;
  require_code_owner_review?: boolean;
  require_last_push_approval?: boolean;
  required_review_thread_resolution?: boolean;
  required_status_checks?: string[];
  strict_status_checks?: boolean;
  required_signatures?: boolean;
  block_force_pushes?: boolean;
  block_deletion?: boolean;
  required_linear_history?: boolean;
  bypass_actors?: {
    actor_id: number;
    actor_type: 'Team' | 'Integration' | 'OrganizationAdmin' | 'RepositoryRole';
    bypass_mode: 'always' | 'pull_request';
  }[];
}

export interface RulesetsConfig {
  version: 1;
  rulesets: RulesetSpec[];
}

const repo = { type: 'string', pattern: '^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$' };

export const rulesetsConfigSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://autocode.dev/schemas/rulesets.schema.json',
  title: 'autocode branch protection (repository rulesets)',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'rulesets'],
  properties: {
    version: { const: 1 },
    rulesets: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'repos', 'branches'],
        properties: {
          name: { type: 'string', minLength: 1, maxLength: 100 },
          repos: { type: 'array', minItems: 1, items: repo },
          branches: { type: 'array', minItems: 1, items: { type: 'string', minLength: 1 } },
          exclude: { type: 'array', items: { type: 'string', minLength: 1 } },
          enforcement: { enum: ['active', 'evaluate', 'disabled'] },
          required_approvals: { type: 'integer', minimum: 0, maximum: 10 },
          dismiss_stale_reviews_on_push: { type: 'boolean' },
          require_code_owner_review: { type: 'boolean' },
          require_last_push_approval: { type: 'boolean' },
          required_review_thread_resolution: { type: 'boolean' },
          required_status_checks: { type: 'array', items: { type: 'string', minLength: 1 } },
          strict_status_checks: { type: 'boolean' },
          required_signatures: { type: 'boolean' },
          block_force_pushes: { type: 'boolean' },
          block_deletion: { type: 'boolean' },
          required_linear_history: { type: 'boolean' },
          bypass_actors: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['actor_id', 'actor_type', 'bypass_mode'],
              properties: {
                actor_id: { type: 'integer', minimum: 1 },
                actor_type: { enum: ['Team', 'Integration', 'OrganizationAdmin', 'RepositoryRole'] },
                bypass_mode: { enum: ['always', 'pull_request'] },
              },
            },
          },
        },
      },
    },
  },
} as const;

export function parseRulesetsConfig(text: string, file: string): RulesetsConfig {
  return parseConfig<RulesetsConfig>(text, file, rulesetsConfigSchema);
}
