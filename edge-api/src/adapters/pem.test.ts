import { generateKeyPairSync, createPrivateKey } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { toPkcs8Pem } from './pem.js';

describe('GitHub App key conversion', () => {
  it('wraps a PKCS#1 key (as GitHub issues it) into the equivalent PKCS#8', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const pkcs1 = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    const pkcs8 = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString().trim();
    expect(toPkcs8Pem(pkcs1)).toBe(pkcs8);
    expect(toPkcs8Pem(pkcs8)).toBe(pkcs8);
    // Secrets pasted with literal "\n" still work.
    expect(createPrivateKey(toPkcs8Pem(pkcs1.replace(/\n/g, '\\n'))).asymmetricKeyType).toBe('rsa');
  });

  it('refuses what is not a private key', () => {
    expect(() => toPkcs8Pem('hello')).toThrow(/not a PEM private key/);
  });
});
