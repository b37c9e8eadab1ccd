/**
 * WebAuthn state in D1: credentials per user and single-use challenges. A challenge is claimed with one
 * `UPDATE … WHERE used_at IS NULL AND expires_at > now RETURNING`, so a replayed assertion (same challenge)
 * finds nothing to claim; approval challenges also carry their binding (repo, PR, head SHA, decision).
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { WebAuthnCredential } from '@simplewebauthn/server';
import type { Ctx } from '../context.js';
import { fromBase64, toBase64 } from '../audit/bytes.js';

export const CHALLENGE_TTL_MS = 5 * 60_000;

export async function storeChallenge(
  ctx: Ctx,
  challenge: string,
  userId: string,
  purpose: string,
  binding = '',
) {
  await ctx.db
    .prepare(
      'INSERT INTO webauthn_challenges (challenge, user_id, purpose, binding, expires_at) VALUES (?, ?, ?, ?, ?)',
    )
    .bind(challenge, userId, purpose, binding, ctx.now() + CHALLENGE_TTL_MS)
    .run();
}

/** The challenge the client signed, read from clientDataJSON (base64url JSON). */
export function challengeOf(clientDataJSON: string): string {
  try {
    const data = JSON.parse(new TextDecoder().decode(fromBase64(clientDataJSON))) as { challenge?: unknown };
    if (typeof data.challenge === 'string') return data.challenge;
  } catch {
    // fall through
  }
  throw new AutocodeError(ErrorCodes.INVALID_INPUT, 'clientDataJSON is not valid');
}

export async function claimChallenge(
  ctx: Ctx,
  challenge: string,
  userId: string,
  purpose: string,
  binding = '',
) {
  const row = await ctx.db
    .prepare(
      `UPDATE webauthn_challenges SET used_at = ?1 WHERE challenge = ?2 AND user_id = ?3 AND purpose = ?4
       AND binding = ?5 AND used_at IS NULL AND expires_at > ?1 RETURNING challenge`,
    )
    .bind(ctx.now(), challenge, userId, purpose, binding)
    .first<{ challenge: string }>();
  if (!row) {
    throw new AutocodeError(
      ErrorCodes.AUTH_FAILED,
      'WebAuthn challenge is unknown, expired, already used or bound to something else',
      {
        hint: 'request a new challenge and sign it once',
      },
    );
  }
}

interface CredentialRow {
  id: string;
  public_key: string;
  counter: number;
  transports: string | null;
}

const toCredential = (r: CredentialRow): WebAuthnCredential => ({
  id: r.id,
  publicKey: fromBase64(r.public_key) as WebAuthnCredential['publicKey'],
  counter: r.counter,
  transports: r.transports ? (JSON.parse(r.transports) as WebAuthnCredential['transports']) : undefined,
});

export async function credentialsOf(ctx: Ctx, userId: string): Promise<WebAuthnCredential[]> {
  const { results } = await ctx.db
    .prepare('SELECT id, public_key, counter, transports FROM webauthn_credentials WHERE user_id = ?')
    .bind(userId)
    .all<CredentialRow>();
  return results.map(toCredential);
}

export async function credential(ctx: Ctx, userId: string, id: string): Promise<WebAuthnCredential> {
  const row = await ctx.db
    .prepare(
      'SELECT id, public_key, counter, transports FROM webauthn_credentials WHERE id = ? AND user_id = ?',
    )
    .bind(id, userId)
    .first<CredentialRow>();
  if (!row) throw new AutocodeError(ErrorCodes.AUTH_FAILED, 'unknown WebAuthn credential for this user');
  return toCredential(row);
}

export async function saveCredential(ctx: Ctx, userId: string, c: WebAuthnCredential): Promise<void> {
  await ctx.db
    .prepare(
      'INSERT INTO webauthn_credentials (id, user_id, public_key, counter, transports, created_at) VALUES (?, ?, ?, ?, ?, ?)',
    )
    .bind(
      c.id,
      userId,
      toBase64(c.publicKey),
      c.counter,
      c.transports ? JSON.stringify(c.transports) : null,
      ctx.now(),
    )
    .run();
}

/** Signature counters only move forward (0 means the authenticator does not count). */
export async function advanceCounter(ctx: Ctx, id: string, counter: number): Promise<void> {
  const row = await ctx.db
    .prepare(
      'UPDATE webauthn_credentials SET counter = ?1 WHERE id = ?2 AND (counter < ?1 OR ?1 = 0) RETURNING id',
    )
    .bind(counter, id)
    .first();
  if (!row)
    throw new AutocodeError(
      ErrorCodes.AUTH_FAILED,
      'WebAuthn signature counter went backwards (cloned key?)',
    );
}
