/**
 * Parsing what `autocode audit verify` is given: an export (`GET /v1/audit` body), one checkpoint or an array
 * of them (`GET /v1/audit/checkpoint`), and the public key as a JWK (`GET /v1/audit/public-key`) or an Ed25519
 * SPKI PEM. Pure: callers read the files.
 */
import { fromBase64, toBase64 } from './bytes.js';
import type { Checkpoint, Ed25519PublicJwk } from './checkpoint.js';
import type { AuditExport } from './verify.js';

// DER prefix of an Ed25519 SubjectPublicKeyInfo (RFC 8410): SEQUENCE { AlgorithmIdentifier 1.3.101.112, BIT STRING }.
const ED25519_SPKI_PREFIX = [0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00];

export function parsePublicKey(text: string): Ed25519PublicJwk {
  const trimmed = text.trim();
  if (trimmed.startsWith('-----BEGIN PUBLIC KEY-----')) {
    const der = fromBase64(trimmed.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
    const prefixOk = der.length === 44 && ED25519_SPKI_PREFIX.every((b, i) => der[i] === b);
    if (!prefixOk) throw new Error('the PEM is not an Ed25519 public key');
    const x = toBase64(der.slice(12)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
    return { kty: 'OKP', crv: 'Ed25519', x };
  }
  const jwk = JSON.parse(trimmed) as Partial<Ed25519PublicJwk>;
  if (jwk.kty !== 'OKP' || jwk.crv !== 'Ed25519' || typeof jwk.x !== 'string') {
    throw new Error('the public key must be an Ed25519 JWK ({"kty":"OKP","crv":"Ed25519","x":…}) or PEM');
  }
  return { kty: 'OKP', crv: 'Ed25519', x: jwk.x };
}

export function parseCheckpoints(text: string): Checkpoint[] {
  const parsed = JSON.parse(text) as unknown;
  const list = Array.isArray(parsed) ? parsed : [parsed];
  for (const cp of list) {
    const c = cp as Partial<Checkpoint>;
    if (
      typeof c.tree_size !== 'number' ||
      typeof c.root_hash !== 'string' ||
      typeof c.signature !== 'string'
    ) {
      throw new Error('a checkpoint needs tree_size, root_hash and signature');
    }
  }
  return list as Checkpoint[];
}

export function parseExport(text: string): AuditExport {
  const parsed = JSON.parse(text) as Partial<AuditExport>;
  if (!Array.isArray(parsed.entries)) throw new Error('the export has no "entries" array');
  for (const e of parsed.entries) {
    if (typeof e?.seq !== 'number' || typeof e.entry !== 'object' || e.entry === null) {
      throw new Error('every export entry needs a numeric seq and an entry object');
    }
  }
  return { entries: parsed.entries };
}
