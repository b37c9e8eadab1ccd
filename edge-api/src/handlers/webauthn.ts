/** WebAuthn registration: options (challenge stored single-use) and verification (credential stored). */
import type { IRequest } from 'itty-router';
import { generateRegistrationOptions, verifyRegistrationResponse } from '@simplewebauthn/server';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Ctx } from '../context.js';
import { actor, authenticateUser } from '../auth/user.js';
import { json, readJson } from '../http.js';
import { isObject } from '../schema.js';
import { utf8 } from '../audit/bytes.js';
import {
  challengeOf,
  claimChallenge,
  credentialsOf,
  saveCredential,
  storeChallenge,
} from '../adapters/webauthn-store.js';

export async function registrationOptions(request: IRequest, ctx: Ctx): Promise<Response> {
  const user = await authenticateUser(request, ctx.config, ctx.env.CACHE);
  const existing = await credentialsOf(ctx, user.id);
  const options = await generateRegistrationOptions({
    rpName: ctx.config.webauthn.rpName,
    rpID: ctx.config.webauthn.rpId,
    userName: user.name,
    userID: utf8(user.id) as Parameters<typeof generateRegistrationOptions>[0]['userID'],
    attestationType: 'none',
    excludeCredentials: existing.map((c) => ({ id: c.id, transports: c.transports })),
    authenticatorSelection: { userVerification: 'required', residentKey: 'preferred' },
  });
  await storeChallenge(ctx, options.challenge, user.id, 'register');
  return json(options);
}

export async function registrationVerify(request: IRequest, ctx: Ctx): Promise<Response> {
  const user = await authenticateUser(request, ctx.config, ctx.env.CACHE);
  const body = await readJson(request, ctx.config.maxBodyBytes);
  const response = (isObject(body) && isObject(body.response) ? body : undefined) as
    RegistrationResponseJSON | undefined;
  if (!response || typeof response.response.clientDataJSON !== 'string') {
    throw new AutocodeError(ErrorCodes.INVALID_INPUT, 'body must be a RegistrationResponseJSON');
  }
  const challenge = challengeOf(response.response.clientDataJSON);
  await claimChallenge(ctx, challenge, user.id, 'register');
  const result = await verifyRegistrationResponse({
    response,
    expectedChallenge: challenge,
    expectedOrigin: ctx.config.webauthn.origin,
    expectedRPID: ctx.config.webauthn.rpId,
    requireUserVerification: true,
  }).catch((err: unknown) => {
    throw new AutocodeError(ErrorCodes.AUTH_FAILED, `registration rejected: ${(err as Error).message}`);
  });
  if (!result.verified) throw new AutocodeError(ErrorCodes.AUTH_FAILED, 'registration could not be verified');
  await saveCredential(ctx, user.id, result.registrationInfo.credential);
  await ctx.audit.append({
    action: 'webauthn_register',
    resource_type: 'credential',
    resource_id: result.registrationInfo.credential.id,
    success: true,
    ...actor(user),
  });
  return json({ verified: true, credential_id: result.registrationInfo.credential.id }, 201);
}
