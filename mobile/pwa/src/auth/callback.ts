/** Whether this page load is the identity provider redirecting back (kept out of the lazily loaded oidc.ts). */
export function isCallback(url: URL): boolean {
  return (url.searchParams.has('code') || url.searchParams.has('error')) && url.searchParams.has('state');
}
