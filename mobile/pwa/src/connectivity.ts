/**
 * Whether the edge can be reached. `navigator.onLine` alone is not enough (it stays true on a network without
 * a route to the edge), so the API client also reports each answer: a network answer means reachable, a saved
 * copy from the service worker or a failed fetch means not. While unreachable, `/health` (never cached) is
 * probed every few seconds so writes come back as soon as the edge does.
 */
const PROBE_MS = 5000;
let reachable = true;
let probe: number | undefined;
const listeners = new Set<() => void>();

function emit(): void {
  for (const l of listeners) l();
}

export function isOnline(): boolean {
  return navigator.onLine && reachable;
}

export function reportReachable(ok: boolean): void {
  if (ok === reachable) return;
  reachable = ok;
  if (!ok && probe === undefined) {
    probe = window.setInterval(() => {
      fetch('/health', { cache: 'no-store' }).then(
        (r) => r.ok && reportReachable(true),
        () => undefined,
      );
    }, PROBE_MS);
  }
  if (ok && probe !== undefined) {
    window.clearInterval(probe);
    probe = undefined;
  }
  emit();
}

/** For `useSyncExternalStore`: changes of either signal. */
export function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('online', listener);
  window.addEventListener('offline', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('online', listener);
    window.removeEventListener('offline', listener);
  };
}
