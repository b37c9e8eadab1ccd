/**
 * The forge's shared runtime handed to every route: state, git access per repository, URLs, the clock and the
 * event fan-out (webhooks, dispatch listeners). Routes stay thin functions over this object.
 */
import { GitRepo } from './git.js';
import type { Store } from './store.js';
import type { DispatchRec, RepoRec } from './types.js';
import type { RateBook } from './limits.js';
import type { Webhooks } from './webhooks.js';

export interface ForgeCore {
  store: Store;
  /** Web root, e.g. http://127.0.0.1:4321 (html_url and git live here). */
  url: string;
  /** REST root, `${url}/api/v3` (GHES layout). */
  apiUrl: string;
  now: () => Date;
  /** Default lifetime of installation tokens. */
  tokenTtlMs: number;
  webhooks: Webhooks;
  rate: RateBook;
  git: (repo: RepoRec) => GitRepo;
  /** Serialises writes per repository so ref compare-and-swap and record updates stay consistent. */
  lock: <T>(key: string, fn: () => Promise<T>) => Promise<T>;
  onDispatchListeners: ((event: DispatchRec) => unknown)[];
  /** Called after any branch moves (API or push), e.g. to send `pull_request.synchronize`. */
  afterRefMove?: (repo: RepoRec, ref: string, pusher: string) => Promise<void>;
}

/** GitHub timestamps: ISO 8601 in UTC without milliseconds. */
export function iso(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

export function repoKey(repo: RepoRec): string {
  return `${repo.owner}/${repo.name}`.toLowerCase();
}

/** Legacy-style GitHub node ids ("MDEwOlJlcG9zaXRvcnkx…" = base64("010:Repository1…")). */
export function nodeId(type: string, id: number | string): string {
  const body = `${type}${id}`;
  return Buffer.from(`${String(type.length).padStart(3, '0')}:${body}`).toString('base64');
}

export function gitRepoFor(store: Store): (repo: RepoRec) => GitRepo {
  const cache = new Map<string, GitRepo>();
  return (repo) => {
    const key = repoKey(repo);
    let git = cache.get(key);
    if (!git) cache.set(key, (git = new GitRepo(store.repoDir(key))));
    return git;
  };
}

/** A per-key promise chain: one writer at a time per repository. */
export function keyedLock(): ForgeCore['lock'] {
  const tails = new Map<string, Promise<unknown>>();
  return async (key, fn) => {
    const prev = tails.get(key) ?? Promise.resolve();
    const run = prev.then(fn, fn);
    tails.set(
      key,
      run.catch(() => {}),
    );
    return run;
  };
}
