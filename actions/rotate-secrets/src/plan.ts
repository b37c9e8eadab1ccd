/**
 * The rotation plan (YAML): which secrets to rotate, how to generate each, and every store that must receive the
 * new value. Parsed with the toolkit's parseConfig, so a mistake is reported at file:line:column.
 *
 * Stores are written in the order listed. Put the store the workflow reads the *current* value from
 * (`current_value_env`, usually a GitHub Actions secret) last: if an earlier write fails, the next run still
 * starts from the value that is really in use and converges.
 */
import { parseConfig } from '@autocode/toolkit';

export interface RandomGenerator {
  type: 'random';
  /** Entropy in bytes (16–128; default 32). */
  bytes?: number;
  encoding?: 'hex' | 'base64' | 'base64url';
  prefix?: string;
}

export type StoreSpec =
  | {
      type: 'github-actions';
      scope: 'repo' | 'org' | 'environment';
      /** owner/repo for repo and environment scope. */
      repo?: string;
      org?: string;
      environment?: string;
      /** Secret name in GitHub (default: the plan entry's name). */
      name?: string;
      visibility?: 'all' | 'private' | 'selected';
    }
  | {
      type: 'cloudflare-worker';
      account_id: string;
      script: string;
      name?: string;
      /** Binding that keeps the old value during the grace period (e.g. WEBHOOK_SECRET_PREVIOUS). */
      previous_name?: string;
    }
  | {
      type: 'github-webhook';
      /** Repository hook (owner/repo) or organization hook (org); `app` = the GitHub App's own webhook. */
      repo?: string;
      org?: string;
      app?: boolean;
      hook_id?: number;
      /** Find the hook by its delivery URL when the id is not known. */
      hook_url?: string;
    };

export type VerifySpec = { type: 'webhook-ping'; url: string };

export interface SecretSpec {
  name: string;
  /** Manually rotated credentials (GitHub App private key): age tracked, issue opened, nothing written. */
  manual?: boolean;
  kind?: string;
  /** ISO date the current manual credential was created (update it after each manual rotation). */
  created_at?: string;
  generator?: RandomGenerator;
  /** Environment variable holding the value in use now (needed to fill `previous_name` slots). */
  current_value_env?: string;
  stores?: StoreSpec[];
  verify?: VerifySpec[];
  interval_days?: number;
  max_age_days?: number;
  grace_days?: number;
}

export interface RotationPlan {
  version: 1;
  interval_days?: number;
  max_age_days?: number;
  grace_days?: number;
  state: { repo: string; branch?: string; path?: string };
  issues?: { repo: string; labels?: string[] };
  secrets: SecretSpec[];
}

export const DEFAULTS = {
  interval_days: 90,
  max_age_days: 100,
  grace_days: 7,
  app_key_max_age_days: 365,
  state_branch: 'autocode-rotation-state',
  state_path: 'rotation-state.json',
} as const;

const repoPattern = '^[A-Za-z0-9][A-Za-z0-9-]{0,38}/[A-Za-z0-9._-]{1,100}$';
const secretName = '^[A-Za-z_][A-Za-z0-9_]*$';
const days = { type: 'integer', minimum: 1, maximum: 3650 };

const storeSchema = {
  type: 'object',
  required: ['type'],
  oneOf: [
    {
      additionalProperties: false,
      required: ['type', 'scope'],
      properties: {
        type: { const: 'github-actions' },
        scope: { enum: ['repo', 'org', 'environment'] },
        repo: { type: 'string', pattern: repoPattern },
        org: { type: 'string', minLength: 1 },
        environment: { type: 'string', minLength: 1 },
        name: { type: 'string', pattern: secretName },
        visibility: { enum: ['all', 'private', 'selected'] },
      },
    },
    {
      additionalProperties: false,
      required: ['type', 'account_id', 'script'],
      properties: {
        type: { const: 'cloudflare-worker' },
        account_id: { type: 'string', pattern: '^[0-9a-f]{32}$' },
        script: { type: 'string', minLength: 1 },
        name: { type: 'string', pattern: secretName },
        previous_name: { type: 'string', pattern: secretName },
      },
    },
    {
      additionalProperties: false,
      required: ['type'],
      properties: {
        type: { const: 'github-webhook' },
        repo: { type: 'string', pattern: repoPattern },
        org: { type: 'string', minLength: 1 },
        app: { type: 'boolean' },
        hook_id: { type: 'integer', minimum: 1 },
        hook_url: { type: 'string', pattern: '^https?://' },
      },
    },
  ],
};

export const rotationPlanSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://autocode.dev/schemas/rotation-plan.schema.json',
  title: 'autocode secret rotation plan',
  type: 'object',
  additionalProperties: false,
  required: ['version', 'state', 'secrets'],
  properties: {
    version: { const: 1 },
    interval_days: days,
    max_age_days: days,
    grace_days: { type: 'integer', minimum: 0, maximum: 90 },
    state: {
      type: 'object',
      additionalProperties: false,
      required: ['repo'],
      properties: {
        repo: { type: 'string', pattern: repoPattern },
        branch: { type: 'string', minLength: 1 },
        path: { type: 'string', pattern: '^[^/].*\\.json$' },
      },
    },
    issues: {
      type: 'object',
      additionalProperties: false,
      required: ['repo'],
      properties: {
        repo: { type: 'string', pattern: repoPattern },
        labels: { type: 'array', items: { type: 'string', minLength: 1 } },
      },
    },
    secrets: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name'],
        properties: {
          name: { type: 'string', pattern: secretName },
          manual: { type: 'boolean' },
          kind: { type: 'string', pattern: '^[a-z0-9-]+$' },
          created_at: { type: 'string', pattern: '^\\d{4}-\\d{2}-\\d{2}' },
          generator: {
            type: 'object',
            additionalProperties: false,
            required: ['type'],
            properties: {
              type: { const: 'random' },
              bytes: { type: 'integer', minimum: 16, maximum: 128 },
              encoding: { enum: ['hex', 'base64', 'base64url'] },
              prefix: { type: 'string', pattern: '^[A-Za-z0-9_-]{0,16}$' },
            },
          },
          current_value_env: { type: 'string', pattern: '^[A-Z_][A-Z0-9_]*$' },
          stores: { type: 'array', items: storeSchema },
          verify: {
            type: 'array',
            items: {
              type: 'object',
              additionalProperties: false,
              required: ['type', 'url'],
              properties: { type: { const: 'webhook-ping' }, url: { type: 'string', pattern: '^https?://' } },
            },
          },
          interval_days: days,
          max_age_days: days,
          grace_days: { type: 'integer', minimum: 0, maximum: 90 },
        },
        // A generated secret needs a generator and somewhere to go; a manual one needs its creation date.
        if: { properties: { manual: { const: true } }, required: ['manual'] },
        then: { required: ['created_at'] },
        else: { required: ['generator', 'stores'], properties: { stores: { minItems: 1 } } },
      },
    },
  },
} as const;

export function parseRotationPlan(text: string, file: string): RotationPlan {
  return parseConfig<RotationPlan>(text, file, rotationPlanSchema);
}

/** Human-readable name of a store, for logs, audit events and the summary (never a value). */
export function describeStore(store: StoreSpec, secret: string): string {
  switch (store.type) {
    case 'github-actions':
      return `github-actions ${store.scope}:${store.scope === 'org' ? store.org : store.repo}${
        store.scope === 'environment' ? `/${store.environment}` : ''
      } ${store.name ?? secret}`;
    case 'cloudflare-worker':
      return `cloudflare-worker ${store.script} ${store.name ?? secret}`;
    case 'github-webhook':
      return `github-webhook ${store.app ? 'app' : (store.repo ?? `org:${store.org}`)}${
        store.hook_id ? `#${store.hook_id}` : ''
      }`;
  }
}
