/**
 * Approvals with WebAuthn step-up. POST /v1/approvals/challenge binds a single-use challenge to (repo, PR,
 * head SHA, decision); POST /v1/approvals checks the kill switch and role, refuses the change's requester,
 * claims the challenge, verifies the assertion, re-checks that the head has not moved, and submits the decision
 * to GitHub as a review naming the approver. Everything is audited.
 */
import type { IRequest } from 'itty-router';
import { generateAuthenticationOptions, verifyAuthenticationResponse } from '@simplewebauthn/server';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Ctx } from '../context.js';
import type { User } from '../auth/user.js';
import { actor, authenticateUser, requireRole } from '../auth/user.js';
import { json, readJson } from '../http.js';
import type { Schema } from '../schema.js';
import { REPO_PATTERN, validate } from '../schema.js';
import { guard } from '../adapters/guard.js';
import { fetchPr, requesterOf } from '../adapters/prs-store.js';
import { upstream } from '../adapters/github.js';
import {
  advanceCounter,
  challengeOf,
  claimChallenge,
  credential,
  credentialsOf,
  storeChallenge,
} from '../adapters/webauthn-store.js';

type Decision = 'approve' | 'request_changes';

interface ChallengeBody {
  repo: string;
  pr_number: number;
  decision: Decision;
}

interface ApprovalBody extends ChallengeBody {
  head_sha: string;
  comment?: string;
  assertion: AuthenticationResponseJSON;
}

const target: Record<string, Schema> = {
  repo: { type: 'string', pattern: REPO_PATTERN },
  pr_number: { type: 'integer', minimum: 1 },
  decision: { type: 'string', enum: ['approve', 'request_changes'] },
};

const binding = (b: ChallengeBody, headSha: string) =>
  `${b.repo.toLowerCase()}#${b.pr_number}@${headSha}:${b.decision}`;

async function refuseRequester(ctx: Ctx, user: User, repo: string, pr: number): Promise<void> {
  if ((await requesterOf(ctx, repo, pr)) === user.id) {
    throw new AutocodeError(
      ErrorCodes.FORBIDDEN,
      'you requested this change, so someone else must approve it',
    );
  }
}

export async function approvalChallenge(request: IRequest, ctx: Ctx): Promise<Response> {
  const user = await authenticateUser(request, ctx.config, ctx.env.CACHE);
  requireRole(user, 'approver', ctx.config);
  const body = validate<ChallengeBody>(await readJson(request, ctx.config.maxBodyBytes), {
    type: 'object',
    required: ['repo', 'pr_number', 'decision'],
    properties: target,
  });
  await refuseRequester(ctx, user, body.repo, body.pr_number);
  const pr = await fetchPr(ctx, body.repo, body.pr_number);
  const creds = await credentialsOf(ctx, user.id);
  if (creds.length === 0) {
    throw new AutocodeError(ErrorCodes.FORBIDDEN, 'register a security key or passkey before approving', {
      hint: 'POST /v1/webauthn/register/options',
    });
  }
  const options = await generateAuthenticationOptions({
    rpID: ctx.config.webauthn.rpId,
    allowCredentials: creds.map((c) => ({ id: c.id, transports: c.transports })),
    userVerification: 'required',
  });
  await storeChallenge(ctx, options.challenge, user.id, 'approve', binding(body, pr.head_sha));
  return json({ head_sha: pr.head_sha, options });
}

export async function postApproval(request: IRequest, ctx: Ctx): Promise<Response> {
  const user = await authenticateUser(request, ctx.config, ctx.env.CACHE);
  const body = validate<ApprovalBody>(await readJson(request, ctx.config.maxBodyBytes), {
    type: 'object',
    required: ['repo', 'pr_number', 'decision', 'head_sha', 'assertion'],
    properties: {
      ...target,
      head_sha: { type: 'string', pattern: /^[0-9a-f]{40}$/ },
      comment: { type: 'string', maxLength: 4000 },
      assertion: { type: 'record', values: { type: 'any' } },
    },
  });
  await guard(ctx, user, 'approval', { owner: body.repo.split('/')[0] });
  await refuseRequester(ctx, user, body.repo, body.pr_number);
  const challenge = challengeOf(String(body.assertion.response?.clientDataJSON ?? ''));
  await claimChallenge(ctx, challenge, user.id, 'approve', binding(body, body.head_sha));
  const cred = await credential(ctx, user.id, String(body.assertion.id));
  const result = await verifyAuthenticationResponse({
    response: body.assertion,
    expectedChallenge: challenge,
    expectedOrigin: ctx.config.webauthn.origin,
    expectedRPID: ctx.config.webauthn.rpId,
    credential: cred,
    requireUserVerification: true,
  }).catch((err: unknown) => {
    throw new AutocodeError(ErrorCodes.AUTH_FAILED, `WebAuthn assertion rejected: ${(err as Error).message}`);
  });
  if (!result.verified)
    throw new AutocodeError(ErrorCodes.AUTH_FAILED, 'WebAuthn assertion could not be verified');
  await advanceCounter(ctx, cred.id, result.authenticationInfo.newCounter);
  const live = await fetchPr(ctx, body.repo, body.pr_number);
  if (live.head_sha !== body.head_sha || live.state !== 'open') {
    throw new AutocodeError(
      ErrorCodes.CONFLICT,
      'the pull request changed since the challenge; review the new head',
      {
        details: { head_sha: live.head_sha, state: live.state },
      },
    );
  }
  const verb = body.decision === 'approve' ? 'Approved' : 'Changes requested';
  const res = await ctx.reviewer.request(
    body.repo,
    'POST',
    `/repos/${body.repo}/pulls/${body.pr_number}/reviews`,
    {
      commit_id: body.head_sha,
      event: body.decision === 'approve' ? 'APPROVE' : 'REQUEST_CHANGES',
      body: `${verb} by ${user.name} via autocode (WebAuthn step-up).${body.comment ? `\n\n${body.comment}` : ''}`,
    },
  );
  if (!res.ok) throw upstream(res.status, `could not submit the review on ${body.repo}#${body.pr_number}`);
  const review = (await res.json()) as { id?: number };
  const id = crypto.randomUUID();
  await ctx.db.batch([
    ctx.db
      .prepare(
        'INSERT INTO approvals (id, repo, pr_number, head_sha, decision, approver, review_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .bind(
        id,
        body.repo,
        body.pr_number,
        body.head_sha,
        body.decision,
        user.id,
        review.id ?? null,
        ctx.now(),
      ),
    await ctx.audit.statement({
      action: `pr_${body.decision}`,
      resource_type: 'pr',
      resource_id: `${body.repo}#${body.pr_number}`,
      success: true,
      commit_sha: body.head_sha,
      pr_url: live.html_url,
      ...actor(user),
    }),
  ]);
  return json({ approval_id: id, review_id: review.id ?? null, decision: body.decision }, 201);
}
