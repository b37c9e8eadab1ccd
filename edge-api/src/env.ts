/**
 * Bindings and configuration of the Worker. Vars come from wrangler.toml (per environment); secrets from
 * `wrangler secret put`. `readConfig` turns them into a typed object once per request so handlers never parse
 * strings themselves.
 */
export interface Env {
  DB: D1Database;
  /** Cache only (JWKS, installation tokens, PR diffs): never the kill switch, counters or idempotency keys. */
  CACHE: KVNamespace;
  ENVIRONMENT?: string;
  PUBLIC_URL?: string;
  OIDC_ISSUER: string;
  OIDC_AUDIENCE: string;
  OIDC_JWKS_URL?: string;
  OIDC_ROLES_CLAIM?: string;
  OIDC_ALGORITHMS?: string;
  ADMIN_IP_ALLOWLIST?: string;
  ACTIONS_OIDC_ISSUER?: string;
  ACTIONS_OIDC_JWKS_URL?: string;
  EDGE_AUDIENCE?: string;
  ALLOWED_OWNERS: string;
  GITHUB_API_URL?: string;
  GITHUB_APP_ID: string;
  GITHUB_APP_PRIVATE_KEY: string;
  GITHUB_INSTALLATION_ID?: string;
  /**
   * A second App that submits approvals as reviews. GitHub refuses an App's approval of a PR it opened
   * ("Can not approve your own pull request"), and autocode's PRs are opened by the main App.
   */
  GITHUB_REVIEWER_APP_ID?: string;
  GITHUB_REVIEWER_APP_PRIVATE_KEY?: string;
  FOUNDATION_REPO?: string;
  KILLSWITCH_REPOS?: string;
  ALERT_WEBHOOK_URL?: string;
  ALERT_KIND?: string;
  ALERT_ROUTING_KEY?: string;
  WEBHOOK_SECRET: string;
  WEBHOOK_SECRET_PREVIOUS?: string;
  AUDIT_SIGNING_KEY: string;
  AUDIT_ENCRYPTION_KEY: string;
  METRICS_TOKEN: string;
  RATE_LIMIT_USER_PER_MINUTE?: string;
  RATE_LIMIT_DEVICE_PER_MINUTE?: string;
  MAX_BODY_BYTES?: string;
  DEFAULT_DAILY_LLM_BUDGET_USD?: string;
  DEFAULT_RUNNER_MAX?: string;
  WEBAUTHN_RP_ID?: string;
  WEBAUTHN_RP_NAME?: string;
  WEBAUTHN_ORIGIN?: string;
  /** Web Push (RFC 8292): the application server key as browsers get it (uncompressed P-256 point, base64url). */
  VAPID_PUBLIC_KEY?: string;
  /** Its private scalar `d` (base64url). A secret. */
  VAPID_PRIVATE_KEY?: string;
  /** Contact for push services (`mailto:` or `https:`). */
  VAPID_SUBJECT?: string;
  /** Test hook: base backoff for outbox retries in ms (default 1000). */
  OUTBOX_BACKOFF_MS?: string;
}

export interface Config {
  oidc: { issuer: string; audience: string; jwksUrl: string; rolesClaim: string; algorithms: string[] };
  actions: { issuer: string; jwksUrl: string; audience: string };
  allowedOwners: string[];
  adminIpAllowlist: string[];
  github: {
    apiUrl: string;
    appId: string;
    privateKey: string;
    installationId: number | undefined;
    reviewer: { appId: string; privateKey: string } | undefined;
  };
  foundationRepo: string | undefined;
  killSwitchRepos: string[];
  alert: { url: string | undefined; kind: 'pagerduty' | 'slack'; routingKey: string | undefined };
  webhookSecrets: string[];
  rateLimits: { userPerMinute: number; devicePerMinute: number };
  maxBodyBytes: number;
  defaults: { dailyLlmBudgetUsd: number; runnerMax: number };
  webauthn: { rpId: string; rpName: string; origin: string };
  publicUrl: string | undefined;
  outboxBackoffMs: number;
  /** Absent when no VAPID key pair is configured: notifications are then only recorded. */
  push: { publicKey: string; privateKey: string; subject: string } | undefined;
}

const list = (v: string | undefined): string[] =>
  (v ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);

const num = (v: string | undefined, fallback: number): number => {
  const n = Number(v);
  return v !== undefined && v !== '' && Number.isFinite(n) ? n : fallback;
};

const trimSlash = (u: string): string => u.replace(/\/+$/, '');

export function readConfig(env: Env): Config {
  const actionsIssuer = env.ACTIONS_OIDC_ISSUER ?? 'https://token.actions.githubusercontent.com';
  const installation = num(env.GITHUB_INSTALLATION_ID, 0);
  return {
    oidc: {
      issuer: env.OIDC_ISSUER,
      audience: env.OIDC_AUDIENCE,
      jwksUrl: env.OIDC_JWKS_URL ?? `${trimSlash(env.OIDC_ISSUER)}/.well-known/jwks.json`,
      rolesClaim: env.OIDC_ROLES_CLAIM ?? 'autocode_roles',
      // `none` and HMAC algorithms are never accepted: the allow-list is asymmetric signatures only.
      algorithms: list(env.OIDC_ALGORITHMS ?? 'RS256,ES256,EdDSA').filter((a) => !/^(none|HS)/i.test(a)),
    },
    actions: {
      issuer: actionsIssuer,
      jwksUrl: env.ACTIONS_OIDC_JWKS_URL ?? `${trimSlash(actionsIssuer)}/.well-known/jwks`,
      audience: env.EDGE_AUDIENCE ?? 'autocode-edge',
    },
    allowedOwners: list(env.ALLOWED_OWNERS).map((o) => o.toLowerCase()),
    adminIpAllowlist: list(env.ADMIN_IP_ALLOWLIST),
    github: {
      apiUrl: trimSlash(env.GITHUB_API_URL ?? 'https://api.github.com'),
      appId: env.GITHUB_APP_ID,
      privateKey: env.GITHUB_APP_PRIVATE_KEY,
      installationId: installation > 0 ? installation : undefined,
      reviewer:
        env.GITHUB_REVIEWER_APP_ID && env.GITHUB_REVIEWER_APP_PRIVATE_KEY
          ? { appId: env.GITHUB_REVIEWER_APP_ID, privateKey: env.GITHUB_REVIEWER_APP_PRIVATE_KEY }
          : undefined,
    },
    foundationRepo: env.FOUNDATION_REPO || undefined,
    killSwitchRepos: list(env.KILLSWITCH_REPOS),
    alert: {
      url: env.ALERT_WEBHOOK_URL || undefined,
      kind: env.ALERT_KIND === 'pagerduty' ? 'pagerduty' : 'slack',
      routingKey: env.ALERT_ROUTING_KEY || undefined,
    },
    webhookSecrets: [env.WEBHOOK_SECRET, env.WEBHOOK_SECRET_PREVIOUS].filter((s): s is string => !!s),
    rateLimits: {
      userPerMinute: num(env.RATE_LIMIT_USER_PER_MINUTE, 30),
      devicePerMinute: num(env.RATE_LIMIT_DEVICE_PER_MINUTE, 30),
    },
    // Bodies are small JSON commands; 64 KiB also bounds what can reach client_payload (< 64 KB at GitHub).
    maxBodyBytes: num(env.MAX_BODY_BYTES, 64 * 1024),
    defaults: {
      dailyLlmBudgetUsd: num(env.DEFAULT_DAILY_LLM_BUDGET_USD, 100),
      runnerMax: num(env.DEFAULT_RUNNER_MAX, 10),
    },
    webauthn: {
      rpId: env.WEBAUTHN_RP_ID ?? 'localhost',
      rpName: env.WEBAUTHN_RP_NAME ?? 'autocode',
      origin: env.WEBAUTHN_ORIGIN ?? 'http://localhost:5173',
    },
    publicUrl: env.PUBLIC_URL || undefined,
    outboxBackoffMs: num(env.OUTBOX_BACKOFF_MS, 1000),
    push:
      env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY
        ? {
            publicKey: env.VAPID_PUBLIC_KEY,
            privateKey: env.VAPID_PRIVATE_KEY,
            subject:
              env.VAPID_SUBJECT ||
              `mailto:autocode@${new URL(env.PUBLIC_URL ?? 'http://localhost').hostname}`,
          }
        : undefined,
  };
}
