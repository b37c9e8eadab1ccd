/** GET /v1/prs (automation PRs seen through webhooks), GET /v1/prs/{id} (live head, files and patches). */
import type { IRequest } from 'itty-router';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Ctx } from '../context.js';
import { authenticateUser } from '../auth/user.js';
import { json } from '../http.js';
import { fetchFiles, fetchPr, prRow, requesterOf } from '../adapters/prs-store.js';

export async function listPrs(request: IRequest, ctx: Ctx): Promise<Response> {
  await authenticateUser(request, ctx.config, ctx.env.CACHE);
  const url = new URL(request.url);
  const state = url.searchParams.get('state') ?? 'open';
  if (!['open', 'closed', 'merged', 'all'].includes(state)) {
    throw new AutocodeError(ErrorCodes.INVALID_INPUT, 'state must be open, closed, merged or all');
  }
  const { results } = await ctx.db
    .prepare(`SELECT * FROM prs WHERE (?1 = 'all' OR state = ?1) ORDER BY updated_at DESC LIMIT 100`)
    .bind(state)
    .all();
  return json({
    prs: results.map((r) => ({ ...r, checks: r.checks ? (JSON.parse(String(r.checks)) as unknown) : null })),
  });
}

export async function getPr(request: IRequest, ctx: Ctx): Promise<Response> {
  const user = await authenticateUser(request, ctx.config, ctx.env.CACHE);
  const id = Number(request.params.id);
  if (!Number.isSafeInteger(id) || id <= 0)
    throw new AutocodeError(ErrorCodes.INVALID_INPUT, 'PR id must be a positive integer');
  const row = await prRow(ctx, id);
  const live = await fetchPr(ctx, row.repo, row.number);
  const files = await fetchFiles(ctx, row.repo, row.number, live.head_sha);
  const requester = await requesterOf(ctx, row.repo, row.number);
  return json({
    ...row,
    head_sha: live.head_sha,
    state: live.state,
    can_approve: requester !== user.id,
    files,
  });
}
