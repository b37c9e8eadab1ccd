/**
 * POST /v1/audit/events (workflows), GET /v1/audit (admin export), GET /v1/audit/checkpoint (latest signed
 * checkpoint), POST /v1/audit/checkpoint (admin: sign one now), GET /v1/audit/public-key.
 */
import type { IRequest } from 'itty-router';
import type { AuditEvent } from '@autocode/toolkit/contract';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Ctx } from '../context.js';
import { authenticateWorkflow } from '../auth/workflow.js';
import { authenticateUser, requireRole } from '../auth/user.js';
import { authenticateAny } from '../auth/any.js';
import { json, readJson } from '../http.js';
import { validate } from '../schema.js';

export async function postAuditEvent(request: IRequest, ctx: Ctx): Promise<Response> {
  const wf = await authenticateWorkflow(request, ctx.config, ctx.env.CACHE);
  const event = validate<AuditEvent>(await readJson(request, ctx.config.maxBodyBytes), {
    type: 'object',
    required: ['action', 'resource', 'result'],
    properties: {
      action: { type: 'string', minLength: 1, maxLength: 100 },
      resource: { type: 'string', minLength: 1, maxLength: 300 },
      result: { type: 'string', enum: ['success', 'failure', 'denied'] },
      details: { type: 'record', maxKeys: 50, values: { type: 'any' } },
    },
  });
  await ctx.audit.append({
    action: event.action,
    resource_type: 'workflow',
    resource_id: event.resource,
    success: event.result === 'success',
    error_message: event.result === 'success' ? null : event.result,
    details: { ...event.details, repository: wf.repository, run_id: wf.runId ?? null },
  });
  return json({ accepted: true }, 202);
}

export async function getAuditExport(request: IRequest, ctx: Ctx): Promise<Response> {
  const user = await authenticateUser(request, ctx.config, ctx.env.CACHE);
  requireRole(user, 'admin', ctx.config);
  const url = new URL(request.url);
  const from = Math.max(1, Number(url.searchParams.get('from') ?? 1) || 1);
  const limit = Math.min(Math.max(Number(url.searchParams.get('limit') ?? 1000) || 1000, 1), 5000);
  const entries = await ctx.audit.export(from, limit);
  const last = entries[entries.length - 1];
  return json({ entries, next: entries.length === limit && last ? last.seq + 1 : null });
}

export async function getCheckpoint(request: IRequest, ctx: Ctx): Promise<Response> {
  await authenticateAny(request, ctx);
  const cp = await ctx.audit.latest();
  if (!cp) throw new AutocodeError(ErrorCodes.NOT_FOUND, 'no checkpoint has been signed yet');
  return json(cp);
}

export async function postCheckpoint(request: IRequest, ctx: Ctx): Promise<Response> {
  const user = await authenticateUser(request, ctx.config, ctx.env.CACHE);
  requireRole(user, 'admin', ctx.config);
  const cp = await ctx.audit.checkpoint();
  if (!cp) throw new AutocodeError(ErrorCodes.NOT_FOUND, 'the audit log is empty');
  return json(cp, 201);
}

export function getPublicKey(_request: IRequest, ctx: Ctx): Response {
  return json(ctx.audit.publicKey());
}
