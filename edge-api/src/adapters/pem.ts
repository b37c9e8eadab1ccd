/**
 * GitHub issues App private keys as PKCS#1 (`BEGIN RSA PRIVATE KEY`); WebCrypto imports only PKCS#8. Wrapping
 * the PKCS#1 DER in a PKCS#8 PrivateKeyInfo is a fixed ASN.1 header, so either form can be stored as the secret.
 */
import { fromBase64, toBase64 } from '../audit/bytes.js';

// AlgorithmIdentifier { rsaEncryption (1.2.840.113549.1.1.1), NULL }
const RSA_ALG = [0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00];

function derLength(n: number): number[] {
  if (n < 0x80) return [n];
  const bytes: number[] = [];
  for (let v = n; v > 0; v >>= 8) bytes.unshift(v & 0xff);
  return [0x80 | bytes.length, ...bytes];
}

function tlv(tag: number, body: Uint8Array | number[]): number[] {
  return [tag, ...derLength(body.length), ...body];
}

function pemBody(pem: string): Uint8Array {
  return fromBase64(pem.replace(/-----[^-]+-----/g, '').replace(/\s+/g, ''));
}

/** Any RSA private key PEM → PKCS#8 PEM. */
export function toPkcs8Pem(pem: string): string {
  const text = pem.replace(/\\n/g, '\n').trim();
  if (text.includes('BEGIN PRIVATE KEY')) return text;
  if (!text.includes('BEGIN RSA PRIVATE KEY'))
    throw new Error('GITHUB_APP_PRIVATE_KEY is not a PEM private key');
  const pkcs1 = pemBody(text);
  const info = tlv(0x30, [...tlv(0x02, [0x00]), ...RSA_ALG, ...tlv(0x04, pkcs1)]);
  const b64 = toBase64(Uint8Array.from(info));
  const lines = b64.match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----`;
}
