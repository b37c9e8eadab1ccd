/**
 * Signed checkpoints: (origin, tree size, root hash, time) signed with Ed25519 over RFC 8785 canonical JSON.
 * Anchoring a checkpoint outside the operator's reach (e.g. a protected git repository) is what turns the Merkle
 * root into evidence against truncation or a full rewrite.
 */
import { canonicalJson, fromBase64, toBase64, utf8 } from './bytes.js';

export interface CheckpointBody {
  origin: string;
  tree_size: number;
  root_hash: string;
  timestamp: string;
  key_id: string;
}

export interface Checkpoint extends CheckpointBody {
  signature: string;
}

export interface Ed25519PublicJwk {
  kty: 'OKP';
  crv: 'Ed25519';
  x: string;
  [k: string]: unknown;
}

const ED25519 = { name: 'Ed25519' } as const;

/** WebCrypto key type, spelled so it resolves under both workers-types and Node's globals. */
export type WebCryptoKey = Awaited<ReturnType<typeof crypto.subtle.importKey>>;
export interface Jwk {
  kty?: string;
  crv?: string;
  x?: string;
  d?: string;
}

/** importKey('jwk', …) typed once: workers-types and Node disagree on the JWK type's name. */
function importJwk(jwk: Jwk, usage: 'sign' | 'verify'): Promise<WebCryptoKey> {
  const importKey = crypto.subtle.importKey.bind(crypto.subtle) as unknown as (
    format: 'jwk',
    key: Jwk,
    algorithm: typeof ED25519,
    extractable: boolean,
    usages: string[],
  ) => Promise<WebCryptoKey>;
  return importKey('jwk', jwk, ED25519, false, [usage]);
}

export async function importSigningKey(privateJwk: Jwk): Promise<WebCryptoKey> {
  return importJwk(privateJwk, 'sign');
}

export async function importVerifyKey(publicJwk: Ed25519PublicJwk): Promise<WebCryptoKey> {
  const { kty, crv, x } = publicJwk;
  return importJwk({ kty, crv, x }, 'verify');
}

/** Key id: the JWK's `x` shortened; enough to pick among a few rotated keys. */
export const keyIdOf = (jwk: { x?: string }): string => (jwk.x ?? '').slice(0, 16);

export async function signCheckpoint(body: CheckpointBody, key: WebCryptoKey): Promise<Checkpoint> {
  const sig = await crypto.subtle.sign(ED25519, key, utf8(canonicalJson(body)));
  return { ...body, signature: toBase64(new Uint8Array(sig)) };
}

export async function verifyCheckpoint(checkpoint: Checkpoint, key: WebCryptoKey): Promise<boolean> {
  const { signature, ...body } = checkpoint;
  try {
    return await crypto.subtle.verify(ED25519, key, fromBase64(signature), utf8(canonicalJson(body)));
  } catch {
    return false;
  }
}
