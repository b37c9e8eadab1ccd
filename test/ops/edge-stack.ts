/**
 * The edge Worker in workerd (Miniflare, real local D1 with migrations) wired to the sandbox forge: GitHub API
 * and App credentials from the forge, Actions OIDC from the forge's issuer (so actions started with
 * `forge.oidc.requestToken()` authenticate exactly as on a runner), users from the edge's dev issuer.
 * `redeploy(secrets)` swaps Worker secrets the way a Cloudflare secret update creates a new Worker version.
 */
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Miniflare } from 'miniflare';
import type { MiniflareOptions } from 'miniflare';
import { exportJWK, generateKeyPair } from 'jose';
import type { Forge } from '@autocode/sandbox';
import { startDevIssuer } from '../../edge-api/src/dev/oidc-issuer.js';
import type { DevIssuer } from '../../edge-api/src/dev/oidc-issuer.js';
import { applyMigrations } from '../../edge-api/test/harness.js';
// @ts-expect-error build.mjs is plain JavaScript
import { buildWorker } from '../../edge-api/build.mjs';

export interface EdgeStack {
  url: string;
  mf: Miniflare;
  users: DevIssuer;
  /** D1 of the current Worker version (stubs do not survive a redeploy). */
  d1(): Promise<Awaited<ReturnType<Miniflare['getD1Database']>>>;
  bindings: Record<string, string>;
  /** New Worker version with these secrets replacing the secret bindings (absent = unset). */
  redeploy(secrets: Record<string, string>): Promise<void>;
  /** Trip (active) or clear the kill switch as an admin through POST /v1/killswitch. */
  killSwitch(active: boolean, reason?: string): Promise<Response>;
  request(method: string, path: string, init?: RequestInit): Promise<Response>;
  scheduled(): Promise<void>;
  close(): Promise<void>;
}

/** A free loopback port, fixed for the stack's life so URLs (hook config, verify) survive redeploys. */
async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

const SECRET_BINDINGS = ['WEBHOOK_SECRET', 'WEBHOOK_SECRET_PREVIOUS', 'METRICS_TOKEN'];

export async function startEdgeStack(
  forge: Forge,
  opts: { owner: string; killSwitchRepos: string[]; secrets?: Record<string, string> },
): Promise<EdgeStack> {
  const dir = mkdtempSync(join(tmpdir(), 'ops-edge-'));
  const scriptPath = (await buildWorker(join(dir, 'worker.js'))) as string;
  const users = await startDevIssuer();
  const audit = await generateKeyPair('Ed25519', { extractable: true });
  const base: Record<string, string> = {
    ENVIRONMENT: 'test',
    OIDC_ISSUER: users.issuer,
    OIDC_AUDIENCE: users.audience,
    OIDC_JWKS_URL: users.jwksUrl,
    OIDC_ROLES_CLAIM: users.rolesClaim,
    ACTIONS_OIDC_ISSUER: forge.oidc.issuer,
    ACTIONS_OIDC_JWKS_URL: `${forge.oidc.issuer}/.well-known/jwks`,
    EDGE_AUDIENCE: 'autocode-edge',
    ALLOWED_OWNERS: opts.owner,
    GITHUB_API_URL: forge.apiUrl,
    GITHUB_APP_ID: String(forge.app.appId),
    GITHUB_APP_PRIVATE_KEY: forge.app.privateKey,
    GITHUB_INSTALLATION_ID: String(forge.app.installationId),
    KILLSWITCH_REPOS: opts.killSwitchRepos.join(','),
    AUDIT_SIGNING_KEY: JSON.stringify(await exportJWK(audit.privateKey)),
    AUDIT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    RATE_LIMIT_USER_PER_MINUTE: '1000',
    RATE_LIMIT_DEVICE_PER_MINUTE: '1000',
    OUTBOX_BACKOFF_MS: '50',
  };
  const port = await freePort();
  const options = (secrets: Record<string, string>): MiniflareOptions => ({
    modules: true,
    scriptPath,
    modulesRoot: dir,
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    compatibilityDate: '2026-04-01',
    d1Databases: ['DB'],
    kvNamespaces: ['CACHE'],
    d1Persist: join(dir, 'd1'),
    kvPersist: join(dir, 'kv'),
    bindings: { ...base, ...secrets },
    host: '127.0.0.1',
    port,
  });
  const initial = { METRICS_TOKEN: 'metrics-token', ...(opts.secrets ?? {}) };
  const mf = new Miniflare(options(initial));
  let url = (await mf.ready).toString().replace(/\/$/, '');
  await applyMigrations(await mf.getD1Database('DB'));
  const stack: EdgeStack = {
    get url() {
      return url;
    },
    mf,
    users,
    d1: () => mf.getD1Database('DB'),
    bindings: { ...base, ...initial },
    async redeploy(secrets) {
      const kept = Object.fromEntries(
        Object.entries(stack.bindings).filter(([k]) => !SECRET_BINDINGS.includes(k)),
      );
      stack.bindings = { ...kept, ...secrets };
      await mf.setOptions(
        options(Object.fromEntries(Object.entries(stack.bindings).filter(([k]) => !(k in base)))),
      );
      url = (await mf.ready).toString().replace(/\/$/, '');
    },
    async killSwitch(active, reason = 'ops test') {
      const token = await users.mintUser('admin');
      return fetch(`${url}/v1/killswitch`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ active, reason }),
      });
    },
    request: (method, path, init = {}) => fetch(`${url}${path}`, { ...init, method }),
    async scheduled() {
      await (await mf.getWorker()).scheduled({ cron: '* * * * *' });
    },
    async close() {
      await mf.dispose();
      await users.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return stack;
}
