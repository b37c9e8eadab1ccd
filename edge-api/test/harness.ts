/**
 * Runs the bundled Worker in workerd through Miniflare with a real local D1 (migrations applied) and KV,
 * a dev OIDC issuer on loopback, and GitHub played by a loopback server. One harness per test file.
 */
import { randomBytes } from 'node:crypto';
import type { Miniflare } from 'miniflare';
import { exportJWK, generateKeyPair } from 'jose';
import { startDevIssuer } from '../src/dev/oidc-issuer.js';
import type { DevIssuer } from '../src/dev/oidc-issuer.js';
import { startForge } from '@autocode/sandbox';
import type { Forge } from '@autocode/sandbox';
import { startSink } from './sink.js';
import type { Sink } from './sink.js';
import { startLocalWorker } from '../src/dev/local-worker.js';
import type { LocalWorkerOptions } from '../src/dev/local-worker.js';
import { applyMigrations as applyD1Migrations } from '../src/dev/migrations.js';

export const OWNER = 'autocode-sandbox';
export const REPO = `${OWNER}/foundation`;

/** GitHub as the tests see it: the sandbox forge, plus what the Worker sent it. */
export interface GitHubView {
  forge: Forge;
  readonly dispatches: { repo: string; event_type: string; client_payload: Record<string, unknown> }[];
  readonly reviews: { user: string; body: string; state: string; commitId: string; number: number }[];
  faults: Forge['faults'];
  /** A contributor (not the App) opens a PR from a new branch; returns its number, id and head SHA. */
  /** Open a PR as a contributor, or as the publishing App (`asApp`), as autocode's own PRs are. */
  openPr(opts: {
    number?: never;
    branch: string;
    title: string;
    body: string;
    asApp?: boolean;
  }): Promise<PrRef>;
  /** Push another commit to the PR's branch (moves its head). */
  pushTo(branch: string): Promise<string>;
  actionsToken(repository: string, aud?: string): Promise<string>;
}

export interface PrRef {
  number: number;
  id: number;
  head_sha: string;
}

export interface Harness {
  mf: Miniflare;
  url: string;
  issuer: DevIssuer;
  github: GitHubView;
  alerts: Sink;
  db: Awaited<ReturnType<Miniflare['getD1Database']>>;
  bindings: Record<string, string>;
  auditPublicJwk: Record<string, unknown>;
  request(
    method: string,
    path: string,
    init?: RequestInit & { token?: string; json?: unknown },
  ): Promise<TestResponse>;
  user(name: 'admin' | 'admin2' | 'admin3' | 'approver' | 'member'): Promise<string>;
  scheduled(): Promise<void>;
  close(): Promise<void>;
}

export interface TestResponse {
  status: number;
  headers: Headers;
  body: Record<string, unknown>;
  text: string;
}

/** Apply the D1 migrations not yet applied (wrangler's `d1_migrations` bookkeeping; safe to call again). */
export async function applyMigrations(db: Harness['db']): Promise<void> {
  await applyD1Migrations(db);
}

export interface HarnessOptions {
  /** Where local D1 keeps its SQLite files (default: a temporary directory on disk). */
  d1Persist?: string;
  /** Answer the Worker's outbound fetch in the test (e.g. a push service at an https origin). */
  outboundService?: LocalWorkerOptions['outboundService'];
}

export async function startHarness(
  overrides: Record<string, string> = {},
  options: HarnessOptions = {},
): Promise<Harness> {
  const issuer = await startDevIssuer();
  // The forge issues the App key as PKCS#1, as GitHub does: the Worker's PKCS#8 conversion is exercised.
  const forge = await startForge({ org: OWNER });
  await forge.createRepo(OWNER, 'foundation', { files: { 'README.md': '# foundation\n' } });
  await forge.createRepo(OWNER, 'mvp', { files: { 'README.md': '# mvp\n' } });
  const github = forgeView(forge);
  // Approvals go through a second App: GitHub refuses an App's approval of a PR that App opened.
  const reviewerApp = forge.createApp('autocode-reviewer', { name: 'autocode reviewer' });
  const alerts = await startSink();
  const audit = await generateKeyPair('Ed25519', { extractable: true });
  const auditJwk = await exportJWK(audit.privateKey);
  const { d: _d, ...auditPublicJwk } = auditJwk;
  const bindings: Record<string, string> = {
    ENVIRONMENT: 'test',
    OIDC_ISSUER: issuer.issuer,
    OIDC_AUDIENCE: issuer.audience,
    OIDC_JWKS_URL: issuer.jwksUrl,
    OIDC_ROLES_CLAIM: issuer.rolesClaim,
    ACTIONS_OIDC_ISSUER: forge.oidc.issuer,
    EDGE_AUDIENCE: 'autocode-edge',
    ALLOWED_OWNERS: OWNER,
    GITHUB_API_URL: forge.apiUrl,
    GITHUB_APP_ID: String(forge.app.appId),
    GITHUB_APP_PRIVATE_KEY: forge.app.privateKey,
    GITHUB_REVIEWER_APP_ID: String(reviewerApp.appId),
    GITHUB_REVIEWER_APP_PRIVATE_KEY: reviewerApp.privateKey,
    FOUNDATION_REPO: REPO,
    KILLSWITCH_REPOS: `${REPO},${OWNER}/mvp`,
    ALERT_WEBHOOK_URL: alerts.url,
    ALERT_KIND: 'slack',
    WEBHOOK_SECRET: 'current-webhook-secret',
    WEBHOOK_SECRET_PREVIOUS: 'previous-webhook-secret',
    AUDIT_SIGNING_KEY: JSON.stringify(auditJwk),
    AUDIT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    METRICS_TOKEN: 'metrics-token',
    RATE_LIMIT_USER_PER_MINUTE: '1000',
    RATE_LIMIT_DEVICE_PER_MINUTE: '1000',
    OUTBOX_BACKOFF_MS: '50',
    WEBAUTHN_RP_ID: 'localhost',
    WEBAUTHN_ORIGIN: 'http://localhost:5173',
    PUBLIC_URL: 'http://edge.test',
    ...overrides,
  };
  const worker = await startLocalWorker({
    bindings,
    ...(options.d1Persist ? { d1Persist: options.d1Persist } : {}),
    ...(options.outboundService ? { outboundService: options.outboundService } : {}),
  });
  const { mf, url } = worker;
  const db = await worker.db();

  return {
    mf,
    url,
    issuer,
    github,
    alerts,
    db,
    bindings,
    auditPublicJwk,
    async request(method, path, init = {}) {
      const headers = new Headers(init.headers);
      if (init.token) headers.set('authorization', `Bearer ${init.token}`);
      let body = init.body;
      if (init.json !== undefined) {
        headers.set('content-type', 'application/json');
        body = JSON.stringify(init.json);
      }
      const res = await fetch(`${url}${path}`, { method, headers, body });
      const text = await res.text();
      let parsed: Record<string, unknown> = {};
      try {
        parsed = JSON.parse(text) as Record<string, unknown>;
      } catch {
        parsed = {};
      }
      return { status: res.status, headers: res.headers, body: parsed, text };
    },
    user: (name) => issuer.mintUser(name),
    scheduled: () => worker.scheduled(),
    async close() {
      await worker.close();
      await Promise.all([issuer.close(), forge.stop(), alerts.close()]);
    },
  };
}

/** Poll until `check` returns true (waitUntil work finishes after the response). */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error('condition not met in time');
}

function forgeView(forge: Forge): GitHubView {
  const contributor = forge.createUser('casey-contributor', { orgs: [OWNER] });
  const api = async (method: string, path: string, body?: unknown, token = contributor.token) => {
    const res = await fetch(`${forge.apiUrl}${path}`, {
      method,
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!res.ok) throw new Error(`forge ${method} ${path}: ${res.status} ${await res.text()}`);
    return (await res.json()) as Record<string, unknown>;
  };
  const repo = `/repos/${REPO}`;
  const commitFile = async (branch: string) => {
    const path = `changes/${branch}-${Date.now()}-${Math.random().toString(36).slice(2)}.md`;
    const out = await api('PUT', `${repo}/contents/${path}`, {
      message: `change on ${branch}`,
      content: Buffer.from(`# ${branch}\n`).toString('base64'),
      branch,
    });
    return String((out.commit as { sha: string }).sha);
  };
  return {
    forge,
    get dispatches() {
      return forge.dispatches
        .filter((d) => d.kind === 'repository_dispatch')
        .map((d) => ({ repo: d.repo, event_type: d.eventType, client_payload: d.clientPayload }));
    },
    get reviews() {
      return Object.values(forge.state.reviews).flat();
    },
    faults: forge.faults,
    async openPr({ branch, title, body, asApp }) {
      const main = await api('GET', `${repo}/git/ref/heads/main`);
      await api('POST', `${repo}/git/refs`, {
        ref: `refs/heads/${branch}`,
        sha: (main.object as { sha: string }).sha,
      });
      await commitFile(branch);
      const opener = asApp ? forge.tokenForInstallation() : contributor.token;
      const pr = await api('POST', `${repo}/pulls`, { title, body, head: branch, base: 'main' }, opener);
      return {
        number: Number(pr.number),
        id: Number(pr.id),
        head_sha: String((pr.head as { sha: string }).sha),
      };
    },
    pushTo: commitFile,
    actionsToken: (repository, aud = 'autocode-edge') => forge.oidc.mintActionsIdToken({ repository, aud }),
  };
}
