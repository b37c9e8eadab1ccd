/**
 * Sign in to the local stack the way the PWA does: the authorization code flow with PKCE (S256) against the
 * development identity provider, choosing a dev user on its sign-in form; returns the access token.
 */
import { createHash, randomBytes } from 'node:crypto';

export async function signIn(
  issuer: string,
  appUrl: string,
  user: string,
  clientId = 'autocode-app',
): Promise<string> {
  const verifier = randomBytes(32).toString('base64url');
  const challenge = createHash('sha256').update(verifier).digest('base64url');
  const redirect = appUrl.endsWith('/') ? appUrl : `${appUrl}/`;
  const form = new URLSearchParams({
    client_id: clientId,
    redirect_uri: redirect,
    response_type: 'code',
    scope: 'openid profile',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: randomBytes(8).toString('hex'),
    user,
  });
  const page = await fetch(`${issuer}/authorize?${form}`);
  if (page.status !== 200 || !(await page.text()).includes(user === 'member' ? 'Mia Member' : '')) {
    throw new Error(`sign-in page: ${page.status}`);
  }
  const chosen = await fetch(`${issuer}/authorize`, { method: 'POST', body: form, redirect: 'manual' });
  const location = new URL(chosen.headers.get('location') ?? '');
  const code = location.searchParams.get('code');
  if (chosen.status !== 302 || !code || !location.href.startsWith(redirect)) {
    throw new Error(`authorize: ${chosen.status} ${location.href}`);
  }
  const res = await fetch(`${issuer}/token`, {
    method: 'POST',
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: redirect,
      client_id: clientId,
      code_verifier: verifier,
    }),
  });
  const body = (await res.json()) as { access_token?: string };
  if (!res.ok || !body.access_token) throw new Error(`token: ${res.status} ${JSON.stringify(body)}`);
  return body.access_token;
}
