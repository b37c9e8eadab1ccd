/** Everything a handler needs for one request: bindings, parsed config, the clock, collaborators. */
import type { Config, Env } from './env.js';
import { readConfig } from './env.js';
import { GitHubApp } from './adapters/github.js';
import { AuditLog } from './adapters/audit-store.js';
import type { EdgePolicy } from './domain/policy.js';
import { loadPolicy } from './adapters/policy.js';

export interface Ctx {
  env: Env;
  db: D1Database;
  config: Config;
  now: () => number;
  waitUntil: (p: Promise<unknown>) => void;
  github: GitHubApp;
  /** Submits approval reviews (a second App when configured; see GITHUB_REVIEWER_APP_ID). */
  reviewer: GitHubApp;
  audit: AuditLog;
  /** Loaded on first use: only routes that need a decision pay for (or fail on) the wasm bundle. */
  policy: () => Promise<EdgePolicy>;
}

export function createContext(env: Env, waitUntil: (p: Promise<unknown>) => void): Ctx {
  const config = readConfig(env);
  const now = () => Date.now();
  const github = new GitHubApp(config.github, env.CACHE);
  return {
    env,
    db: env.DB,
    config,
    now,
    waitUntil,
    github,
    reviewer: GitHubApp.reviewer(config.github, env.CACHE, github),
    audit: new AuditLog(env, now),
    policy: loadPolicy,
  };
}
