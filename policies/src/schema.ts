/**
 * JSON Schemas (draft-07) for the policy input and the policy config. Plain objects: the Worker can ship
 * them; validation with ajv happens in Node (`@autocode/policies/node`), since ajv compiles validators with
 * `new Function`, which Workers forbid.
 */

/** Where a repository keeps its policy config (the action reads it from the PR's base branch). */
export const POLICY_CONFIG_FILE = '.github/autocode-policy.yaml';

const login = { type: 'string', minLength: 1, maxLength: 100 } as const;
const sha = { type: 'string', maxLength: 64 } as const;
const count = { type: 'integer', minimum: 0 } as const;
const path = { type: 'string', minLength: 1, maxLength: 4096 } as const;
const strings = { type: 'array', items: { type: 'string' } } as const;

export const policyInputSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://autocode.dev/schemas/policy-input.schema.json',
  title: 'autocode policy input (facts)',
  type: 'object',
  additionalProperties: false,
  required: ['operation'],
  properties: {
    operation: { enum: ['write', 'merge', 'cost'] },
    repository: { type: 'string', pattern: '^[^/\\s]+/[^/\\s]+$' },
    target: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ref: { type: 'string' },
        protected: { type: 'boolean' },
        require_approvals: count,
      },
    },
    change: {
      type: 'object',
      additionalProperties: false,
      required: ['origin'],
      properties: {
        origin: { enum: ['human', 'automation', 'llm'] },
        author: login,
        requester: { anyOf: [login, { type: 'null' }] },
        head_sha: sha,
        files: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['path', 'status', 'binary', 'additions', 'deletions'],
            properties: {
              path,
              previous_path: path,
              status: { enum: ['added', 'modified', 'removed', 'renamed', 'copied'] },
              binary: { type: 'boolean' },
              additions: count,
              deletions: count,
            },
          },
        },
        totals: {
          type: 'object',
          additionalProperties: false,
          required: ['files', 'additions', 'deletions', 'bytes'],
          properties: { files: count, additions: count, deletions: count, bytes: count },
        },
        markers: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['path', 'line', 'marker'],
            properties: { path, line: count, marker: { type: 'string' } },
          },
        },
        findings: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['path', 'line', 'rule', 'kind', 'description', 'fingerprint'],
            properties: {
              path,
              line: count,
              rule: { type: 'string' },
              kind: { enum: ['secret', 'entropy'] },
              description: { type: 'string' },
              fingerprint: { type: 'string', pattern: '^sha256:[0-9a-f]{16}$' },
            },
          },
        },
        omitted: {
          type: 'object',
          additionalProperties: false,
          properties: { markers: count, findings: count },
        },
      },
    },
    commits: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['sha', 'verified'],
        properties: { sha, verified: { type: 'boolean' }, reason: { type: 'string' } },
      },
    },
    approvals: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['login', 'commit_id'],
        properties: { login, commit_id: sha, bot: { type: 'boolean' } },
      },
    },
    checks: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['name', 'head_sha', 'conclusion'],
        properties: {
          name: { type: 'string' },
          head_sha: sha,
          conclusion: { type: ['string', 'null'] },
        },
      },
    },
    kill_switch: {
      type: 'object',
      additionalProperties: false,
      required: ['active'],
      properties: { active: { type: 'boolean' }, reason: { type: 'string' } },
    },
    cost: {
      type: 'object',
      additionalProperties: false,
      required: ['proposer', 'approvals'],
      properties: {
        proposer: login,
        approvals: {
          type: 'array',
          items: {
            type: 'object',
            additionalProperties: false,
            required: ['login', 'admin'],
            properties: { login, admin: { type: 'boolean' }, bot: { type: 'boolean' } },
          },
        },
      },
    },
  },
} as const;

const section = (properties: Record<string, unknown>) =>
  ({ type: 'object', additionalProperties: false, properties }) as const;

export const policyConfigSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://autocode.dev/schemas/policy-config.schema.json',
  title: 'autocode policy config (.github/autocode-policy.yaml)',
  type: 'object',
  additionalProperties: false,
  properties: {
    approvals: section({
      required: count,
      protected_refs: strings,
      protected_repos: strings,
      ignore: strings,
    }),
    secrets: section({
      allowlist: { type: 'array', items: { type: 'string', pattern: '^sha256:[0-9a-f]{16}$' } },
      entropy: { enum: ['warn', 'deny'] },
    }),
    required_checks: section({ names: strings }),
    todo_markers: section({
      markers: { type: 'array', items: { type: 'string', pattern: '^[A-Za-z0-9_-]+$' } },
    }),
    verified_commits: section({ enabled: { type: 'boolean' } }),
    protected_paths: section({
      mode: { enum: ['deny', 'review'] },
      names: strings,
      prefixes: strings,
      patterns: strings,
    }),
    limits: section({
      applies_to: { enum: ['automation', 'all'] },
      max_files: count,
      max_changed_lines: count,
      max_bytes: count,
    }),
    binaries: section({ enabled: { type: 'boolean' } }),
    kill_switch: section({ enabled: { type: 'boolean' } }),
    cost: section({ min_admin_approvals: { type: 'integer', minimum: 1 } }),
  },
} as const;
