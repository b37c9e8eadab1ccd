/**
 * JSON Schema (draft-07) of `.sync-config.yaml`. Published as `actions/sync/sync-config.schema.json` for
 * editors (a test keeps the file equal to this object) and registered with `autocode doctor`.
 */
const strings = { type: 'array', items: { type: 'string', minLength: 1 } } as const;

export const syncConfigSchema = {
  $schema: 'http://json-schema.org/draft-07/schema#',
  $id: 'https://autocode.dev/schemas/sync-config.schema.json',
  title: 'autocode .sync-config.yaml',
  description: 'Which paths of the source (foundation) repository are synced to which target repositories.',
  type: 'object',
  additionalProperties: false,
  required: ['targets'],
  properties: {
    targets: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['repo', 'paths'],
        properties: {
          repo: {
            description: 'Target repository, owner/name.',
            type: 'string',
            pattern: '^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})/(?!\\.\\.?$)[A-Za-z0-9._-]{1,100}$',
          },
          paths: {
            ...strings,
            minItems: 1,
            description: 'minimatch globs (relative to the repository root) selecting the files to sync.',
          },
          exclude: { ...strings, description: 'minimatch globs removed from the selection.' },
          create_pr: {
            type: 'boolean',
            default: true,
            description:
              'Open a pull request from the sync branch (false: only update the branch). Never a direct push.',
          },
          auto_merge: {
            type: 'boolean',
            default: false,
            description:
              'Enable auto-merge when the target allows it, policy passes and no approvals are required.',
          },
          require_approvals: { type: 'integer', minimum: 0, maximum: 10, default: 0 },
          reviewers: {
            type: 'array',
            items: {
              type: 'string',
              pattern: '^(team:([A-Za-z0-9-]+/)?[A-Za-z0-9._-]+|[A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))$',
            },
            description: 'Logins, or team:slug for teams of the target organisation.',
          },
          labels: { ...strings, maxItems: 100 },
          branch: {
            type: 'string',
            pattern: '^(?!/)(?!.*(?:\\.\\.|//|@\\{|\\.lock/|\\.lock$|/$))[^\\s~^:?*\\[\\\\]+$',
            description: 'Sync branch in the target (default sync/<source-repo>).',
          },
          draft: { type: 'boolean', default: false },
          delete_orphaned: {
            type: 'boolean',
            default: true,
            description: 'Delete target files removed at the source, when unchanged since the last sync.',
          },
          on_conflict: {
            enum: ['skip', 'fail', 'overwrite'],
            default: 'skip',
            description:
              'A target file edited by people since the last sync: keep it (skip), stop the target (fail), or overwrite it.',
          },
        },
      },
    },
  },
} as const;
