/**
 * Hash routes (`#/prs/12`): the Worker serves one static `index.html` for `/` and the app needs no server-side
 * fallback; the OIDC redirect returns to `/` with its query, which the hash does not disturb.
 */
import { useEffect, useState } from 'react';

export type Route =
  | { name: 'command' }
  | { name: 'history' }
  | { name: 'job'; id: string }
  | { name: 'prs' }
  | { name: 'pr'; id: number }
  | { name: 'status' }
  | { name: 'settings' }
  | { name: 'admin' };

export function parseRoute(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
  const [head, arg] = parts;
  switch (head) {
    case 'history':
      return { name: 'history' };
    case 'jobs':
      return arg ? { name: 'job', id: arg } : { name: 'history' };
    case 'prs':
      return arg && /^\d+$/.test(arg) ? { name: 'pr', id: Number(arg) } : { name: 'prs' };
    case 'status':
    case 'settings':
    case 'admin':
      return { name: head };
    default:
      return { name: 'command' };
  }
}

export function href(route: Route): string {
  switch (route.name) {
    case 'command':
      return '#/';
    case 'job':
      return `#/jobs/${encodeURIComponent(route.id)}`;
    case 'pr':
      return `#/prs/${route.id}`;
    default:
      return `#/${route.name}`;
  }
}

export function navigate(route: Route): void {
  location.hash = href(route);
}

export function useRoute(): Route {
  const [route, setRoute] = useState(() => parseRoute(location.hash));
  useEffect(() => {
    const onChange = () => setRoute(parseRoute(location.hash));
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return route;
}
