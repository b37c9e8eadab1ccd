/**
 * Billing proposals: the only way cost-changing settings move. Admins propose; two distinct admins other than
 * the proposer approve; the approval that reaches the threshold applies the setting in the same atomic batch,
 * guarded by a per-request apply token, so the setting is written exactly once however approvals race.
 */
import type { IRequest } from 'itty-router';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Ctx } from '../context.js';
import type { User } from '../auth/user.js';
import { actor, authenticateUser, requireRole } from '../auth/user.js';
import { json, readJson } from '../http.js';
import { validate } from '../schema.js';
import type { BillingSetting } from '../domain/billing.js';
import { BILLING_SETTINGS, canApprove, REQUIRED_APPROVALS } from '../domain/billing.js';

interface ProposalRow {
  id: string;
  setting: BillingSetting;
  value: number;
  reason: string;
  proposed_by: string;
  status: string;
  created_at: number;
  applied_at: number | null;
}

async function admin(request: IRequest, ctx: Ctx): Promise<User> {
  const user = await authenticateUser(request, ctx.config, ctx.env.CACHE);
  requireRole(user, 'admin', ctx.config);
  return user;
}

/** Audit input for an admin's action on a proposal. */
const proposalAudit = (action: string, id: string, user: User, details?: Record<string, unknown>) => ({
  action,
  resource_type: 'billing_proposal',
  resource_id: id,
  success: true,
  ...actor(user),
  details,
});

async function withApprovals(ctx: Ctx, rows: ProposalRow[]) {
  const { results } = await ctx.db
    .prepare('SELECT proposal_id, admin FROM billing_approvals')
    .all<{ proposal_id: string; admin: string }>();
  return rows.map((r) => ({
    ...r,
    approvals: results.filter((a) => a.proposal_id === r.id).map((a) => a.admin),
    required_approvals: REQUIRED_APPROVALS,
  }));
}

export async function listProposals(request: IRequest, ctx: Ctx): Promise<Response> {
  await admin(request, ctx);
  const { results } = await ctx.db
    .prepare('SELECT * FROM billing_proposals ORDER BY created_at DESC LIMIT 100')
    .all<ProposalRow>();
  const { results: settings } = await ctx.db
    .prepare('SELECT key, value FROM settings')
    .all<{ key: string; value: number }>();
  return json({
    proposals: await withApprovals(ctx, results),
    settings: Object.fromEntries(settings.map((s) => [s.key, s.value])),
  });
}

export async function createProposal(request: IRequest, ctx: Ctx): Promise<Response> {
  const user = await admin(request, ctx);
  const body = validate<{ setting: BillingSetting; value: number; reason: string }>(
    await readJson(request, ctx.config.maxBodyBytes),
    {
      type: 'object',
      required: ['setting', 'value', 'reason'],
      properties: {
        setting: { type: 'string', enum: BILLING_SETTINGS },
        value: { type: 'number', minimum: 0, maximum: 1_000_000 },
        reason: { type: 'string', minLength: 1, maxLength: 1000 },
      },
    },
  );
  const id = crypto.randomUUID();
  await ctx.db.batch([
    ctx.db
      .prepare(
        'INSERT INTO billing_proposals (id, setting, value, reason, proposed_by, created_at) VALUES (?, ?, ?, ?, ?, ?)',
      )
      .bind(id, body.setting, body.value, body.reason, user.id, ctx.now()),
    await ctx.audit.statement(
      proposalAudit('billing_propose', id, user, {
        setting: body.setting,
        value: body.value,
        reason: body.reason,
      }),
    ),
  ]);
  return json({ id, status: 'pending', required_approvals: REQUIRED_APPROVALS }, 201);
}

export async function approveProposal(request: IRequest, ctx: Ctx): Promise<Response> {
  const user = await admin(request, ctx);
  const id = String(request.params.id);
  const proposal = await ctx.db
    .prepare('SELECT * FROM billing_proposals WHERE id = ?')
    .bind(id)
    .first<ProposalRow>();
  if (!proposal) throw new AutocodeError(ErrorCodes.NOT_FOUND, `no billing proposal ${id}`);
  if (!canApprove(proposal.proposed_by, user.id)) {
    throw new AutocodeError(ErrorCodes.FORBIDDEN, 'the proposer cannot approve their own proposal');
  }
  if (proposal.status !== 'pending')
    throw new AutocodeError(ErrorCodes.CONFLICT, `proposal is already ${proposal.status}`);
  const now = ctx.now();
  const token = crypto.randomUUID();
  const db = ctx.db;
  const applied = {
    sql: 'EXISTS (SELECT 1 FROM billing_proposals WHERE id = ? AND apply_token = ?)',
    params: [id, token],
  };
  const results = await db.batch([
    db
      .prepare(
        'INSERT INTO billing_approvals (proposal_id, admin, created_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING',
      )
      .bind(id, user.id, now),
    db
      .prepare(
        `UPDATE billing_proposals SET status = 'applied', applied_at = ?1, apply_token = ?2
         WHERE id = ?3 AND status = 'pending'
         AND (SELECT COUNT(DISTINCT admin) FROM billing_approvals WHERE proposal_id = ?3 AND admin != proposed_by) >= ${REQUIRED_APPROVALS}`,
      )
      .bind(now, token, id),
    db
      .prepare(
        `INSERT INTO settings (key, value, updated_at) SELECT setting, value, ?1 FROM billing_proposals
         WHERE id = ?2 AND apply_token = ?3
         ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .bind(now, id, token),
    await ctx.audit.statement(proposalAudit('billing_approve', id, user)),
    await ctx.audit.statement(
      {
        action: 'billing_apply',
        resource_type: 'setting',
        resource_id: proposal.setting,
        success: true,
        details: { proposal: id, value: proposal.value },
      },
      applied,
    ),
    db.prepare('SELECT status, apply_token FROM billing_proposals WHERE id = ?').bind(id),
  ]);
  const row = results[results.length - 1]?.results[0] as { status: string; apply_token: string | null };
  const approvals = await withApprovals(ctx, [{ ...proposal, status: row.status }]);
  return json({ ...approvals[0], applied_now: row.apply_token === token });
}
