/**
 * Actions secrets: one X25519 key pair per scope (repository, organization, environment), values stored as the
 * libsodium sealed boxes clients send. The forge keeps the private key so tests can prove what was written.
 * Scopes are strings: `repo:<owner>/<name>`, `org:<login>`, `env:<owner>/<name>/<environment>`.
 */
import { randomInt } from 'node:crypto';
import nacl from 'tweetnacl';
import sealedbox from 'tweetnacl-sealedbox-js';
import type { Store } from './store.js';
import type { SecretKeyRec } from './types.js';

export function scopeKey(scope: string): string {
  const [kind = '', rest = ''] = scope.split(/:(.*)/s);
  if (!['repo', 'org', 'env'].includes(kind) || !rest) {
    throw new Error(
      `secret scope must be repo:<owner>/<name>, org:<login> or env:<owner>/<name>/<env>, got ${scope}`,
    );
  }
  return `${kind}:${rest.toLowerCase()}`;
}

export function publicKeyFor(store: Store, scope: string): SecretKeyRec {
  const key = scopeKey(scope);
  let rec = store.state.secretKeys[key];
  if (!rec) {
    const pair = nacl.box.keyPair();
    rec = {
      // GitHub key ids are long decimal strings.
      keyId: `${randomInt(1e8, 1e9)}${randomInt(1e8, 1e9)}`,
      publicKey: Buffer.from(pair.publicKey).toString('base64'),
      secretKey: Buffer.from(pair.secretKey).toString('base64'),
    };
    store.state.secretKeys[key] = rec;
    store.save();
  }
  return rec;
}

/** Open a sealed box with the scope's key; null when it was not sealed for that key. */
export function openSealed(rec: SecretKeyRec, encryptedValue: string): string | null {
  const opened = sealedbox.open(
    Buffer.from(encryptedValue, 'base64'),
    Buffer.from(rec.publicKey, 'base64'),
    Buffer.from(rec.secretKey, 'base64'),
  );
  return opened ? Buffer.from(opened).toString('utf8') : null;
}

/** Seal a value the way a client would (used by the library to pre-seed secrets). */
export function seal(rec: SecretKeyRec, value: string): string {
  return Buffer.from(
    sealedbox.seal(Buffer.from(value, 'utf8'), Buffer.from(rec.publicKey, 'base64')),
  ).toString('base64');
}

/** The plaintext of a stored secret, or undefined when there is none. */
export function decryptSecret(store: Store, scope: string, name: string): string | undefined {
  const key = scopeKey(scope);
  const secret = store.state.secrets[key]?.find((s) => s.name === name.toUpperCase());
  const rec = store.state.secretKeys[key];
  if (!secret || !rec) return undefined;
  return openSealed(rec, secret.encryptedValue) ?? undefined;
}
