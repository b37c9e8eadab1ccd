/**
 * PII fields of audit entries (user, device, IP, user agent) are encrypted with AES-256-GCM before hashing, so
 * the log can be exported and verified without revealing who did what. The field name is the additional
 * authenticated data: a ciphertext cannot be moved to another field.
 */
import { fromBase64, toBase64, utf8 } from './bytes.js';
import type { WebCryptoKey } from './checkpoint.js';

export const PII_FIELDS = ['user_id', 'device_id', 'ip_address', 'user_agent'] as const;

export async function importPiiKey(base64Key: string): Promise<WebCryptoKey> {
  const raw = fromBase64(base64Key);
  if (raw.byteLength !== 32) throw new Error('AUDIT_ENCRYPTION_KEY must be 32 bytes (base64)');
  return crypto.subtle.importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);
}

export async function encryptField(key: WebCryptoKey, field: string, value: string): Promise<string> {
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: 'AES-GCM', iv, additionalData: utf8(field) },
    key,
    utf8(value),
  );
  return `aesgcm:${toBase64(iv)}:${toBase64(new Uint8Array(ct))}`;
}

export async function decryptField(key: WebCryptoKey, field: string, sealed: string): Promise<string> {
  const [tag, iv, ct] = sealed.split(':');
  if (tag !== 'aesgcm' || !iv || !ct) throw new Error(`${field} is not an encrypted value`);
  const pt = await crypto.subtle.decrypt(
    { name: 'AES-GCM', iv: fromBase64(iv), additionalData: utf8(field) },
    key,
    fromBase64(ct),
  );
  return new TextDecoder().decode(pt);
}
