/** Small data hooks: a read that tracks loading/error/cache state, polling, and whether the edge is reachable. */
import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { Read } from './api/client.js';
import { describeError } from './api/client.js';
import { isOnline, subscribe } from './connectivity.js';

export interface Loaded<T> {
  data: T | undefined;
  error: string | undefined;
  loading: boolean;
  cachedAt: string | undefined;
  reload: () => void;
}

/** Run `load` now, whenever `deps` change, and every `pollMs` while `poll` says so. */
export function useRead<T>(
  load: () => Promise<Read<T>>,
  deps: unknown[],
  opts: { pollMs?: number; poll?: (data: T) => boolean } = {},
): Loaded<T> {
  const [state, setState] = useState<Omit<Loaded<T>, 'reload'>>({
    data: undefined,
    error: undefined,
    loading: true,
    cachedAt: undefined,
  });
  const [tick, setTick] = useState(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let live = true;
    let timer: number | undefined;
    setState((s) => ({ ...s, loading: true }));
    loadRef.current().then(
      (r) => {
        if (!live) return;
        setState({ data: r.data, error: undefined, loading: false, cachedAt: r.cachedAt });
        if (opts.pollMs && (!opts.poll || opts.poll(r.data))) {
          timer = window.setTimeout(reload, opts.pollMs);
        }
      },
      (err: unknown) => live && setState((s) => ({ ...s, error: describeError(err), loading: false })),
    );
    return () => {
      live = false;
      window.clearTimeout(timer);
    };
    // `deps` are the caller's; `load` is read through a ref so a new closure alone does not refetch.
  }, [...deps, tick]);
  return { ...state, reload };
}

export function useOnline(): boolean {
  return useSyncExternalStore(subscribe, isOnline);
}
