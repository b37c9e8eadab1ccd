/**
 * Web Push subscriptions of the signed-in user (the PWA registers them after permission is granted), with the
 * user's role so "approval requested" reaches approvers. Delivery: adapters/push.ts.
 */
import type { IRequest } from 'itty-router';
import type { Ctx } from '../context.js';
import { authenticateUser } from '../auth/user.js';
import { json, readJson } from '../http.js';
import { validate } from '../schema.js';

interface Subscription {
  endpoint: string;
  keys?: { p256dh: string; auth: string };
}

const schema = (withKeys: boolean) =>
  ({
    type: 'object',
    required: withKeys ? ['endpoint', 'keys'] : ['endpoint'],
    properties: {
      endpoint: { type: 'string', maxLength: 1000, pattern: /^https:\/\// },
      expirationTime: { type: 'any' },
      keys: {
        type: 'object',
        required: ['p256dh', 'auth'],
        properties: { p256dh: { type: 'string', maxLength: 200 }, auth: { type: 'string', maxLength: 100 } },
      },
    },
  }) as const;

export async function putPushSubscription(request: IRequest, ctx: Ctx): Promise<Response> {
  const user = await authenticateUser(request, ctx.config, ctx.env.CACHE);
  const sub = validate<Subscription>(await readJson(request, ctx.config.maxBodyBytes), schema(true));
  await ctx.db
    .prepare(
      `INSERT INTO push_subscriptions (endpoint, user_id, p256dh, auth, role, created_at) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (endpoint) DO UPDATE SET user_id = excluded.user_id, p256dh = excluded.p256dh, auth = excluded.auth,
         role = excluded.role`,
    )
    .bind(sub.endpoint, user.id, sub.keys?.p256dh ?? '', sub.keys?.auth ?? '', user.role, ctx.now())
    .run();
  return json({ subscribed: true }, 201);
}

export async function deletePushSubscription(request: IRequest, ctx: Ctx): Promise<Response> {
  const user = await authenticateUser(request, ctx.config, ctx.env.CACHE);
  const sub = validate<Subscription>(await readJson(request, ctx.config.maxBodyBytes), schema(false));
  await ctx.db
    .prepare('DELETE FROM push_subscriptions WHERE endpoint = ? AND user_id = ?')
    .bind(sub.endpoint, user.id)
    .run();
  return json({ subscribed: false });
}
