/**
 * GitHub webhook authentication: HMAC-SHA256 over the raw body, checked against the current secret and, during
 * rotation, the previous one. De-duplication by delivery id happens in D1 (see handlers/webhooks.ts).
 */
import { verify } from '@octokit/webhooks-methods';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';

export async function verifyWebhook(raw: string, signature: string | null, secrets: string[]): Promise<void> {
  if (!signature || !signature.startsWith('sha256=')) {
    throw new AutocodeError(ErrorCodes.AUTH_FAILED, 'webhook has no X-Hub-Signature-256 header');
  }
  for (const secret of secrets) {
    if (await verify(secret, raw, signature).catch(() => false)) return;
  }
  throw new AutocodeError(ErrorCodes.AUTH_FAILED, 'webhook signature does not match');
}
