/** Passkey registration through the edge's WebAuthn routes (the browser library is loaded only when used). */
import type { EdgeApi } from '../api/client.js';

export async function registerPasskey(api: EdgeApi): Promise<string> {
  const { startRegistration } = await import('@simplewebauthn/browser');
  const options = await api.registrationOptions();
  const response = await startRegistration({ optionsJSON: options as never });
  const result = await api.registrationVerify(response);
  return result.credential_id;
}
