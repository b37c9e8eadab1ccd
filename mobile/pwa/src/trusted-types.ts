/**
 * The CSP requires Trusted Types for script sinks (`require-trusted-types-for 'script'; trusted-types autocode`).
 * The only script URL the app ever hands to a sink is its own service worker; this policy allows exactly that.
 */
interface TrustedTypePolicy {
  createScriptURL(url: string): string;
}
interface TrustedTypesFactory {
  createPolicy(name: string, rules: { createScriptURL: (url: string) => string }): TrustedTypePolicy;
}

const ALLOWED_SCRIPT_URLS = new Set(['/sw.js']);

const factory = (globalThis as { trustedTypes?: TrustedTypesFactory }).trustedTypes;
const policy = factory?.createPolicy('autocode', {
  createScriptURL: (url) => {
    if (!ALLOWED_SCRIPT_URLS.has(url)) throw new TypeError(`script URL not allowed: ${url}`);
    return url;
  },
});

/** A script URL the CSP accepts (a plain string where Trusted Types are not supported). */
export function trustedScriptUrl(url: string): string {
  return policy ? policy.createScriptURL(url) : url;
}
