/**
 * The Worker's secrets for the local stack, made once and kept in `<edge dir>/secrets.json` (mode 0600): the
 * audit log's signing and PII keys must outlive a restart (old entries stay verifiable and readable), and so
 * must the VAPID key pair (browsers' push subscriptions are bound to its public key).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface EdgeSecrets {
  WEBHOOK_SECRET: string;
  /** Ed25519 private JWK (JSON). */
  AUDIT_SIGNING_KEY: string;
  /** 32 bytes, base64. */
  AUDIT_ENCRYPTION_KEY: string;
  METRICS_TOKEN: string;
  /** The P-256 private scalar `d` (base64url) that signs VAPID JWTs (RFC 8292). */
  VAPID_PRIVATE_KEY: string;
  /** Its public key as browsers want it: the uncompressed point, base64url (applicationServerKey). */
  VAPID_PUBLIC_KEY: string;
}

/** A fresh VAPID key pair: the private key as a JWK, the public key as the 65-byte uncompressed point. */
export function vapidKeys(): { privateJwk: Record<string, unknown>; publicKey: string } {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = privateKey.export({ format: 'jwk' });
  const point = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x!, 'base64url'),
    Buffer.from(jwk.y!, 'base64url'),
  ]);
  return { privateJwk: { ...jwk, alg: 'ES256' }, publicKey: point.toString('base64url') };
}

function fresh(): EdgeSecrets {
  const audit = generateKeyPairSync('ed25519');
  const vapid = vapidKeys();
  return {
    WEBHOOK_SECRET: randomBytes(20).toString('hex'),
    AUDIT_SIGNING_KEY: JSON.stringify(audit.privateKey.export({ format: 'jwk' })),
    AUDIT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    METRICS_TOKEN: randomBytes(20).toString('hex'),
    VAPID_PRIVATE_KEY: String(vapid.privateJwk.d),
    VAPID_PUBLIC_KEY: vapid.publicKey,
  };
}

/** Read the kept secrets, adding any that are missing (a newer stack may need more than an older one made). */
export function edgeSecrets(file: string): EdgeSecrets {
  const kept = existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<EdgeSecrets>) : {};
  const made = fresh();
  const secrets: EdgeSecrets = {
    ...made,
    ...kept,
    // The VAPID pair only makes sense whole.
    ...(kept.VAPID_PRIVATE_KEY && kept.VAPID_PUBLIC_KEY && !kept.VAPID_PRIVATE_KEY.startsWith('{')
      ? {}
      : { VAPID_PRIVATE_KEY: made.VAPID_PRIVATE_KEY, VAPID_PUBLIC_KEY: made.VAPID_PUBLIC_KEY }),
  };
  if (JSON.stringify(secrets) !== JSON.stringify(kept)) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, `${JSON.stringify(secrets, null, 2)}\n`, { mode: 0o600 });
  }
  return secrets;
}
