/** POST /v1/commands, GET /v1/commands (history), GET /v1/status/{job_id}. */
import type { IRequest } from 'itty-router';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Ctx } from '../context.js';
import { actor, authenticateUser, hasRole } from '../auth/user.js';
import { json, readJson } from '../http.js';
import { validate } from '../schema.js';
import type { CommandBody } from '../domain/commands.js';
import { clientPayload, commandSchema } from '../domain/commands.js';
import { dispatchRequest } from '../domain/payload.js';
import { guard } from '../adapters/guard.js';
import { createJob, getJob } from '../adapters/jobs-store.js';
import type { JobRow } from '../adapters/jobs-store.js';
import { deliverClaimed, releaseInline, reserveInline } from '../adapters/outbox.js';
import { canonicalJson, sha256, toHex, utf8 } from '../audit/bytes.js';

const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,200}$/;

export async function postCommand(request: IRequest, ctx: Ctx): Promise<Response> {
  const user = await authenticateUser(request, ctx.config, ctx.env.CACHE);
  const body = validate<CommandBody>(await readJson(request, ctx.config.maxBodyBytes), commandSchema);
  const key = request.headers.get('idempotency-key');
  if (key !== null && !IDEMPOTENCY_KEY.test(key)) {
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      'Idempotency-Key must be 1–200 visible ASCII characters',
    );
  }
  await guard(ctx, user, 'command', { owner: body.repo.split('/')[0], command: body.command });
  const id = crypto.randomUUID();
  const callback = ctx.config.publicUrl ? `${ctx.config.publicUrl}/v1/jobs/${id}/events` : undefined;
  const job = {
    id,
    outboxId: crypto.randomUUID(),
    userId: user.id,
    deviceId: user.deviceId,
    repo: body.repo,
    command: body.command,
    body: JSON.stringify(body),
    dispatch: dispatchRequest(`autocode.${body.command}`, clientPayload(id, body, user.name, callback)),
    idempotency: key ? { key, bodyHash: toHex(await sha256(utf8(canonicalJson(body)))) } : undefined,
    audit: {
      action: 'submit_command',
      resource_type: 'job',
      resource_id: id,
      success: true,
      ...actor(user),
      details: { repo: body.repo, command: body.command },
    },
  };
  const inline = reserveInline();
  const result = await createJob(ctx, { ...job, deliverInline: inline }).catch((err: unknown) => {
    if (inline) releaseInline();
    throw err;
  });
  if (result.outbox) ctx.waitUntil(deliverClaimed(ctx, result.outbox));
  else if (inline) releaseInline();
  return json(
    { job_id: result.jobId, state: 'queued' },
    202,
    result.created ? {} : { 'idempotent-replayed': 'true' },
  );
}

export function publicJob(row: JobRow): Record<string, unknown> {
  return {
    job_id: row.id,
    repo: row.repo,
    command: row.command,
    state: row.state,
    message: row.message,
    pr_number: row.pr_number,
    pr_url: row.pr_url,
    run_url: row.run_url,
    requested_by: row.requested_by,
    created_at: new Date(row.created_at).toISOString(),
    updated_at: new Date(row.updated_at).toISOString(),
  };
}

export async function getStatus(request: IRequest, ctx: Ctx): Promise<Response> {
  const user = await authenticateUser(request, ctx.config, ctx.env.CACHE);
  const job = await getJob(ctx.db, String(request.params.id));
  // Members see their own jobs; approvers and admins see all. A foreign job is a 404, not a 403: ids don't leak.
  if (!job || (job.requested_by !== user.id && !hasRole(user, 'approver'))) {
    throw new AutocodeError(ErrorCodes.NOT_FOUND, `no job ${String(request.params.id)}`);
  }
  return json(publicJob(job));
}

export async function listCommands(request: IRequest, ctx: Ctx): Promise<Response> {
  const user = await authenticateUser(request, ctx.config, ctx.env.CACHE);
  const url = new URL(request.url);
  const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 50) || 50, 1), 200);
  const before = Number(url.searchParams.get('before') ?? 0) || Number.MAX_SAFE_INTEGER;
  const all = url.searchParams.get('all') === '1' && hasRole(user, 'approver');
  const stmt = all
    ? ctx.db
        .prepare('SELECT * FROM jobs WHERE created_at < ? ORDER BY created_at DESC LIMIT ?')
        .bind(before, limit)
    : ctx.db
        .prepare(
          'SELECT * FROM jobs WHERE requested_by = ? AND created_at < ? ORDER BY created_at DESC LIMIT ?',
        )
        .bind(user.id, before, limit);
  const { results } = await stmt.all<JobRow>();
  return json({ jobs: results.map(publicJob) });
}
