/**
 * End-to-end proof that a webhook secret works: send a `ping` delivery signed with it (HMAC-SHA256 over the raw
 * body, exactly as GitHub signs) to the receiver and require a 2xx. Uses WebCrypto and fetch only.
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';

async function hmacHex(secret: string, body: string): Promise<string> {
  const enc = new TextEncoder();
  const key = await crypto.subtle.importKey(
    'raw',
    enc.encode(secret),
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    ['sign'],
  );
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, enc.encode(body)));
  return Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
}

export async function verifyWebhookPing(
  url: string,
  secret: string,
  doFetch: typeof fetch = fetch,
): Promise<void> {
  const delivery = crypto.randomUUID();
  const body = JSON.stringify({ zen: 'autocode secret rotation check', hook_id: 0, delivery });
  const res = await doFetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'ping',
      'x-github-delivery': delivery,
      'x-hub-signature-256': `sha256=${await hmacHex(secret, body)}`,
      'user-agent': 'autocode-rotate-secrets',
    },
    body,
    signal: AbortSignal.timeout(15_000),
  });
  await res.body?.cancel();
  if (!res.ok) {
    throw new AutocodeError(
      ErrorCodes.UPSTREAM_FAILED,
      `webhook receiver ${url} refused the new secret (HTTP ${res.status})`,
      {
        hint: 'the receiver must accept the new secret before the old one is revoked; check its deployment',
      },
    );
  }
}

/** Random secret from WebCrypto, in the plan's encoding. */
export function randomSecret(
  bytes = 32,
  encoding: 'hex' | 'base64' | 'base64url' = 'hex',
  prefix = '',
): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  if (encoding === 'hex') return prefix + Array.from(raw, (b) => b.toString(16).padStart(2, '0')).join('');
  const b64 = btoa(String.fromCharCode(...raw));
  return (
    prefix + (encoding === 'base64' ? b64 : b64.replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, ''))
  );
}
