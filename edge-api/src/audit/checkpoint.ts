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

export async function importSigningKey(privateJwk: JsonWebKey): Promise<CryptoKey> {
  return crypto.subtle.importKey('jwk', privateJwk, ED25519, false, ['sign']);
}

export async function importVerifyKey(publicJwk: Ed25519PublicJwk): Promise<CryptoKey> {
  const { kty, crv, x } = publicJwk;
  return crypto.subtle.importKey('jwk', { kty, crv, x }, ED25519, false, ['verify']);
}

/** Key id: the JWK's `x` shortened; enough to pick among a few rotated keys. */
export const keyIdOf = (jwk: { x?: string }): string => (jwk.x ?? '').slice(0, 16);

export async function signCheckpoint(body: CheckpointBody, key: CryptoKey): Promise<Checkpoint> {
  const sig = await crypto.subtle.sign(ED25519, key, utf8(canonicalJson(body)));
  return { ...body, signature: toBase64(new Uint8Array(sig)) };
}

export async function verifyCheckpoint(checkpoint: Checkpoint, key: CryptoKey): Promise<boolean> {
  const { signature, ...body } = checkpoint;
  try {
    return await crypto.subtle.verify(ED25519, key, fromBase64(signature), utf8(canonicalJson(body)));
  } catch {
    return false;
  }
}
