/**
 * Runs the bundled Worker in workerd through Miniflare with a real local D1 (migrations applied) and KV,
 * a dev OIDC issuer on loopback, and GitHub played by a loopback server. One harness per test file.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Miniflare } from 'miniflare';
import { exportJWK, generateKeyPair } from 'jose';
import { startDevIssuer } from '../src/dev/oidc-issuer.js';
import type { DevIssuer } from '../src/dev/oidc-issuer.js';
import { startFakeGitHub } from './fake-github.js';
import type { FakeGitHub } from './fake-github.js';
// @ts-expect-error build.mjs is plain JavaScript
import { buildWorker } from '../build.mjs';

const here = dirname(fileURLToPath(import.meta.url));
export const OWNER = 'autocode-sandbox';
export const REPO = `${OWNER}/foundation`;

export interface Harness {
  mf: Miniflare;
  url: string;
  issuer: DevIssuer;
  github: FakeGitHub;
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

/** wrangler's migrations are plain SQL files applied in name order; D1's exec() splits on newlines, so split here. */
export async function applyMigrations(db: Harness['db']): Promise<void> {
  const dir = join(here, '../migrations');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .sort()) {
    const sql = readFileSync(join(dir, file), 'utf8')
      .split('\n')
      .filter((l) => !l.trim().startsWith('--'))
      .join('\n');
    const statements = sql
      .split(/;\s*(?:\n|$)/)
      .map((s) => s.trim())
      .filter(Boolean);
    await db.batch(statements.map((s) => db.prepare(s)));
  }
}

export async function startHarness(overrides: Record<string, string> = {}): Promise<Harness> {
  const out = mkdtempSync(join(tmpdir(), 'edge-worker-'));
  const scriptPath = (await buildWorker(join(out, 'worker.js'))) as string;
  const issuer = await startDevIssuer();
  // GitHub issues PKCS#1 keys; use that form so the Worker's PKCS#8 conversion is exercised.
  const app = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const github = await startFakeGitHub(app.publicKey);
  const audit = await generateKeyPair('Ed25519', { extractable: true });
  const auditJwk = await exportJWK(audit.privateKey);
  const { d: _d, ...auditPublicJwk } = auditJwk;
  const bindings: Record<string, string> = {
    ENVIRONMENT: 'test',
    OIDC_ISSUER: issuer.issuer,
    OIDC_AUDIENCE: issuer.audience,
    OIDC_JWKS_URL: issuer.jwksUrl,
    OIDC_ROLES_CLAIM: issuer.rolesClaim,
    ACTIONS_OIDC_ISSUER: issuer.actionsIssuer,
    ACTIONS_OIDC_JWKS_URL: issuer.actionsJwksUrl,
    EDGE_AUDIENCE: 'autocode-edge',
    ALLOWED_OWNERS: OWNER,
    GITHUB_API_URL: github.apiUrl,
    GITHUB_APP_ID: '42',
    GITHUB_APP_PRIVATE_KEY: app.privateKey.export({ type: 'pkcs1', format: 'pem' }).toString(),
    FOUNDATION_REPO: REPO,
    KILLSWITCH_REPOS: `${REPO},${OWNER}/mvp`,
    ALERT_WEBHOOK_URL: github.alertUrl,
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
  const mf = new Miniflare({
    modules: true,
    scriptPath,
    modulesRoot: out,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    d1Databases: ['DB'],
    kvNamespaces: ['CACHE'],
    bindings,
    host: '127.0.0.1',
    port: 0,
  });
  const url = (await mf.ready).toString().replace(/\/$/, '');
  const db = await mf.getD1Database('DB');
  await applyMigrations(db);

  return {
    mf,
    url,
    issuer,
    github,
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
    async scheduled() {
      const worker = await mf.getWorker();
      await worker.scheduled({ cron: '* * * * *' });
    },
    async close() {
      await mf.dispose();
      await Promise.all([issuer.close(), github.close()]);
      rmSync(out, { recursive: true, force: true });
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
