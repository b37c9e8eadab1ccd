/** Fingerprints for the allowlist: `sha256:` + the first 16 hex digits of SHA-256 over the secret (WebCrypto). */
export async function fingerprint(secret: string): Promise<string> {
  const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(secret));
  const hex = [...new Uint8Array(digest, 0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `sha256:${hex}`;
}
