/** Route table: wiring only. Every handler takes (request, ctx); errors become responses in http.ts. */
import { Router } from 'itty-router';
import type { IRequest } from 'itty-router';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Ctx } from './context.js';
import { getStatus, listCommands, postCommand } from './handlers/commands.js';
import { getKillSwitch, postKillSwitch } from './handlers/killswitch.js';
import { postJobEvent } from './handlers/jobs.js';
import {
  getAuditExport,
  getCheckpoint,
  getPublicKey,
  postAuditEvent,
  postCheckpoint,
} from './handlers/audit.js';
import { health, metrics } from './handlers/metrics.js';
import { postWebhook } from './handlers/webhooks.js';
import { getPr, listPrs } from './handlers/prs.js';
import { approvalChallenge, postApproval } from './handlers/approvals.js';
import { registrationOptions, registrationVerify } from './handlers/webauthn.js';
import { approveProposal, createProposal, listProposals } from './handlers/billing.js';
import { deletePushSubscription, putPushSubscription } from './handlers/push.js';

type Handler = (request: IRequest, ctx: Ctx) => Response | Promise<Response>;

export const router = Router<IRequest, [Ctx]>();
const routes: [method: 'get' | 'post' | 'delete', path: string, handler: Handler][] = [
  ['get', '/health', health],
  ['get', '/metrics', metrics],
  ['post', '/v1/commands', postCommand],
  ['get', '/v1/commands', listCommands],
  ['get', '/v1/status/:id', getStatus],
  ['get', '/v1/prs', listPrs],
  ['get', '/v1/prs/:id', getPr],
  ['post', '/v1/approvals/challenge', approvalChallenge],
  ['post', '/v1/approvals', postApproval],
  ['post', '/v1/webauthn/register/options', registrationOptions],
  ['post', '/v1/webauthn/register/verify', registrationVerify],
  ['get', '/v1/killswitch', getKillSwitch],
  ['post', '/v1/killswitch', postKillSwitch],
  ['get', '/v1/billing/proposals', listProposals],
  ['post', '/v1/billing/proposals', createProposal],
  ['post', '/v1/billing/proposals/:id/approve', approveProposal],
  ['post', '/v1/jobs/:id/events', postJobEvent],
  ['post', '/v1/audit/events', postAuditEvent],
  ['get', '/v1/audit', getAuditExport],
  ['get', '/v1/audit/checkpoint', getCheckpoint],
  ['post', '/v1/audit/checkpoint', postCheckpoint],
  ['get', '/v1/audit/public-key', getPublicKey],
  ['post', '/v1/push/subscriptions', putPushSubscription],
  ['delete', '/v1/push/subscriptions', deletePushSubscription],
  ['post', '/webhooks/github', postWebhook],
];
for (const [method, path, handler] of routes) router[method](path, handler);
router.all('*', (request: IRequest) => {
  throw new AutocodeError(
    ErrorCodes.NOT_FOUND,
    `no route for ${request.method} ${new URL(request.url).pathname}`,
  );
});
