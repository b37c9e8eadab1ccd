/**
 * POST /webhooks/github. Order matters: size limit, HMAC over the raw bytes (current or previous secret), then
 * de-duplication by X-GitHub-Delivery in D1 (a replayed delivery is refused with 409 and not processed), then
 * the event handler.
 */
import type { IRequest } from 'itty-router';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Ctx } from '../context.js';
import { verifyWebhook } from '../auth/webhook.js';
import { json, parseJson, readBody } from '../http.js';
import { isObject } from '../schema.js';
import { bumpStatement } from '../adapters/counters.js';
import { handleEvent } from '../adapters/github-events.js';

/** GitHub caps webhook payloads at 25 MB; we only need PR/push metadata, so 5 MB is plenty. */
const MAX_WEBHOOK_BYTES = 5 * 1024 * 1024;

export async function postWebhook(request: IRequest, ctx: Ctx): Promise<Response> {
  const raw = await readBody(request, MAX_WEBHOOK_BYTES);
  const text = new TextDecoder().decode(raw);
  await verifyWebhook(text, request.headers.get('x-hub-signature-256'), ctx.config.webhookSecrets);
  const delivery = request.headers.get('x-github-delivery') ?? '';
  const event = request.headers.get('x-github-event') ?? '';
  if (!/^[A-Za-z0-9-]{1,100}$/.test(delivery) || !/^[a-z_]{1,60}$/.test(event)) {
    throw new AutocodeError(ErrorCodes.INVALID_INPUT, 'missing X-GitHub-Delivery or X-GitHub-Event header');
  }
  const payload = parseJson(raw);
  if (!isObject(payload))
    throw new AutocodeError(ErrorCodes.INVALID_INPUT, 'webhook payload is not an object');
  const [first] = await ctx.db.batch([
    ctx.db
      .prepare(
        'INSERT INTO webhook_deliveries (id, event, received_at) VALUES (?, ?, ?) ON CONFLICT DO NOTHING RETURNING id',
      )
      .bind(delivery, event, ctx.now()),
    bumpStatement(ctx.db, 'webhook_deliveries', event),
  ]);
  if (!first?.results.length) {
    throw new AutocodeError(ErrorCodes.CONFLICT, `delivery ${delivery} was already processed`);
  }
  const outcome = await handleEvent(ctx, event, payload);
  return json({ delivery, event, outcome });
}
