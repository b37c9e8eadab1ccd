/** Mobile commands: what may be asked for, and the dispatch it becomes. */
import type { Schema } from '../schema.js';
import { REPO_PATTERN } from '../schema.js';

export const COMMANDS = ['codegen', 'sync', 'policy-check', 'rotate-secrets'] as const;
export type CommandName = (typeof COMMANDS)[number];

export interface CommandBody {
  repo: string;
  command: CommandName;
  prompt?: string;
  ref?: string;
  args?: Record<string, string | number | boolean>;
}

export const commandSchema: Schema = {
  type: 'object',
  required: ['repo', 'command'],
  properties: {
    repo: { type: 'string', pattern: REPO_PATTERN },
    command: { type: 'string', enum: COMMANDS },
    // Prompts travel in client_payload (< 64 KB in total); 16 000 characters leaves room for the rest.
    prompt: { type: 'string', minLength: 1, maxLength: 16_000 },
    ref: { type: 'string', maxLength: 255, pattern: /^[A-Za-z0-9._/-]+$/ },
    args: { type: 'record', maxKeys: 8, values: { type: 'any' } },
  },
};

/** client_payload for the job (8 of GitHub's 10 allowed top-level keys). */
export function clientPayload(
  jobId: string,
  body: CommandBody,
  requestedBy: string,
  callbackUrl: string | undefined,
): Record<string, unknown> {
  return {
    job_id: jobId,
    command: body.command,
    repo: body.repo,
    prompt: body.prompt ?? null,
    ref: body.ref ?? null,
    args: body.args ?? {},
    requested_by: requestedBy,
    callback_url: callbackUrl ?? null,
  };
}
