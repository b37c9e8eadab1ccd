/** GET /v1/killswitch (users and workflows), POST /v1/killswitch (admin: trip with reason/duration, or clear). */
import type { IRequest } from 'itty-router';
import type { Ctx } from '../context.js';
import { actor, authenticateUser, requireRole } from '../auth/user.js';
import { authenticateAny } from '../auth/any.js';
import { json, readJson } from '../http.js';
import { validate } from '../schema.js';
import { toState } from '../domain/killswitch.js';
import { readKillSwitch, setKillSwitch } from '../adapters/killswitch-store.js';

interface KillSwitchBody {
  active?: boolean;
  reason: string;
  duration_minutes?: number;
}

export async function getKillSwitch(request: IRequest, ctx: Ctx): Promise<Response> {
  await authenticateAny(request, ctx);
  return json(toState(await readKillSwitch(ctx.db), ctx.now()));
}

export async function postKillSwitch(request: IRequest, ctx: Ctx): Promise<Response> {
  const user = await authenticateUser(request, ctx.config, ctx.env.CACHE);
  requireRole(user, 'admin', ctx.config);
  const body = validate<KillSwitchBody>(await readJson(request, ctx.config.maxBodyBytes), {
    type: 'object',
    required: ['reason'],
    properties: {
      active: { type: 'boolean' },
      reason: { type: 'string', minLength: 1, maxLength: 500 },
      duration_minutes: { type: 'integer', minimum: 1, maximum: 7 * 24 * 60 },
    },
  });
  const active = body.active ?? true;
  await setKillSwitch(ctx, {
    active,
    reason: body.reason,
    by: user.name,
    durationMinutes: body.duration_minutes,
    audit: {
      action: active ? 'killswitch_trip' : 'killswitch_clear',
      resource_type: 'killswitch',
      resource_id: 'global',
      success: true,
      ...actor(user),
      details: { reason: body.reason, duration_minutes: body.duration_minutes ?? null },
    },
  });
  return json(toState(await readKillSwitch(ctx.db), ctx.now()));
}
