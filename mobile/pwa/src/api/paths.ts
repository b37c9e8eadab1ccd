/**
 * Which requests the service worker may answer from its cache. Shared by the page and the worker so both agree.
 * Only GETs of read routes are cached; approvals, WebAuthn ceremonies and push subscriptions never are (a
 * cached challenge or approval could be replayed or shown stale), and nothing is ever queued for later.
 */
export const API_CACHE = 'autocode-api-v1';

const NEVER_CACHED = [/^\/v1\/approvals/, /^\/v1\/webauthn\//, /^\/v1\/push\//, /^\/v1\/audit/];

export function isCacheableRead(method: string, url: URL, origin: string): boolean {
  if (method !== 'GET' || url.origin !== origin) return false;
  if (url.pathname === '/config.json') return true;
  if (!url.pathname.startsWith('/v1/')) return false;
  return !NEVER_CACHED.some((re) => re.test(url.pathname));
}

/** Header the service worker adds to a response it served from the cache: when it was fetched (ISO time). */
export const CACHED_AT_HEADER = 'x-autocode-cached-at';
