/**
 * The real local stack for the PWA's browser tests: the edge Worker bundled from `edge-api/src` running in
 * workerd through Miniflare (local D1 with the migrations applied, KV) and serving the built PWA as static
 * assets with its `_headers` (CSP); the sandbox forge as GitHub (App webhook → the Worker); the edge's dev
 * issuer signing tokens; the dev login server for the authorization code flow. Dispatches are answered by
 * `runner.ts`, which does what an autocode workflow would.
 */
import { cpSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Miniflare } from 'miniflare';
import { startForge } from '@autocode/sandbox';
import type { Forge } from '@autocode/sandbox';
import { DEV_USERS, startDevIssuer } from '../../../edge-api/src/dev/oidc-issuer.js';
import type { DevIssuer } from '../../../edge-api/src/dev/oidc-issuer.js';
import { applyMigrations } from '../../../edge-api/test/harness.js';
// @ts-expect-error build.mjs is plain JavaScript
import { buildWorker } from '../../../edge-api/build.mjs';
// @ts-expect-error configure.mjs is plain JavaScript
import { configureSite } from '../scripts/configure.mjs';
import { startDevLogin } from '../dev/login-server.js';
import type { DevLogin } from '../dev/login-server.js';
import { answerDispatches } from './runner.js';

export const OWNER = 'autocode-sandbox';
export const REPO = `${OWNER}/foundation`;
export const CLIENT_ID = 'autocode-app';

export interface Stack {
  /** The app's origin, `http://localhost:<port>` (WebAuthn needs a domain, not an IP, as its RP ID). */
  url: string;
  forge: Forge;
  issuer: DevIssuer;
  login: DevLogin;
  mf: Miniflare;
  close(): Promise<void>;
}

async function freePort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const { port } = srv.address() as { port: number };
  await new Promise((r) => srv.close(r));
  return port;
}

/** An uncompressed P-256 public key, base64url: the shape of a VAPID application server key. */
function vapidPublicKey(): string {
  const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const jwk = publicKey.export({ format: 'jwk' });
  const xy = Buffer.concat([
    Buffer.from([4]),
    Buffer.from(jwk.x!, 'base64url'),
    Buffer.from(jwk.y!, 'base64url'),
  ]);
  return xy.toString('base64url');
}

export async function startStack(opts: { dist: string }): Promise<Stack> {
  const work = mkdtempSync(join(tmpdir(), 'pwa-stack-'));
  const cleanup: (() => unknown)[] = [() => rmSync(work, { recursive: true, force: true })];
  const close = async () => {
    for (const step of cleanup.reverse()) await step();
  };
  try {
    return await assemble(work, opts.dist, cleanup, close);
  } catch (err) {
    await close();
    throw err;
  }
}

async function assemble(
  work: string,
  dist: string,
  cleanup: (() => unknown)[],
  close: () => Promise<void>,
): Promise<Stack> {
  const port = await freePort();
  const url = `http://localhost:${port}`;

  const forge = await startForge({ org: OWNER, stateDir: join(work, 'forge') });
  cleanup.push(() => forge.stop());
  await forge.createRepo(OWNER, 'foundation', {
    files: {
      'README.md': '# foundation\n',
      'src/greeting.ts': "export const greeting = 'hello';\n",
    },
  });
  const issuer = await startDevIssuer();
  cleanup.push(() => issuer.close());
  const login = await startDevLogin({
    users: Object.entries(DEV_USERS).map(([key, u]) => ({ key, ...u })),
    clientId: CLIENT_ID,
    allowRedirect: (uri) => uri === `${url}/`,
    mint: (claims, o) => issuer.mint(claims, o),
    jwksUri: issuer.jwksUrl,
    audience: issuer.audience,
    rolesClaim: issuer.rolesClaim,
  });
  cleanup.push(() => login.close());

  const site = join(work, 'site');
  cpSync(dist, site, { recursive: true });
  configureSite(site, {
    issuer: login.url,
    clientId: CLIENT_ID,
    vapidPublicKey: vapidPublicKey(),
    environment: 'test',
  });

  mkdirSync(join(work, 'worker'));
  const scriptPath = (await buildWorker(join(work, 'worker/worker.js'))) as string;
  const webhookSecret = randomBytes(16).toString('hex');
  const mf = new Miniflare({
    modules: true,
    modulesRoot: dirname(scriptPath),
    // The policy bundle is imported as a precompiled wasm module (workerd refuses to compile wasm at run time).
    modulesRules: [{ type: 'CompiledWasm', include: ['**/*.wasm'] }],
    scriptPath,
    compatibilityDate: '2026-04-01',
    d1Databases: ['DB'],
    kvNamespaces: ['CACHE'],
    assets: { directory: site, routerConfig: { has_user_worker: true } },
    bindings: bindings({ url, forge, issuer, login, webhookSecret }),
    host: '127.0.0.1',
    port,
  });
  cleanup.push(() => mf.dispose());
  await mf.ready;
  await applyMigrations(await mf.getD1Database('DB'));
  forge.setAppWebhook({ url: `http://127.0.0.1:${port}/webhooks/github`, secret: webhookSecret });
  cleanup.push(answerDispatches(forge));
  return { url, forge, issuer, login, mf, close };
}

/** The Worker's vars and secrets for this stack (names as in edge-api/wrangler.toml). */
function bindings(s: {
  url: string;
  forge: Forge;
  issuer: DevIssuer;
  login: DevLogin;
  webhookSecret: string;
}): Record<string, string> {
  const audit = generateKeyPairSync('ed25519');
  return {
    ENVIRONMENT: 'test',
    PUBLIC_URL: s.url,
    OIDC_ISSUER: s.login.url,
    OIDC_AUDIENCE: s.issuer.audience,
    OIDC_JWKS_URL: s.issuer.jwksUrl,
    OIDC_ROLES_CLAIM: s.issuer.rolesClaim,
    ACTIONS_OIDC_ISSUER: s.forge.oidc.issuer,
    ACTIONS_OIDC_JWKS_URL: `${s.forge.oidc.issuer}/.well-known/jwks`,
    EDGE_AUDIENCE: 'autocode-edge',
    ALLOWED_OWNERS: OWNER,
    GITHUB_API_URL: s.forge.apiUrl,
    GITHUB_APP_ID: String(s.forge.app.appId),
    GITHUB_APP_PRIVATE_KEY: s.forge.app.privateKey,
    GITHUB_INSTALLATION_ID: String(s.forge.app.installationId),
    FOUNDATION_REPO: REPO,
    KILLSWITCH_REPOS: REPO,
    ALERT_KIND: 'slack',
    WEBHOOK_SECRET: s.webhookSecret,
    AUDIT_SIGNING_KEY: JSON.stringify(audit.privateKey.export({ format: 'jwk' })),
    AUDIT_ENCRYPTION_KEY: randomBytes(32).toString('base64'),
    METRICS_TOKEN: randomBytes(16).toString('hex'),
    WEBAUTHN_RP_ID: 'localhost',
    WEBAUTHN_ORIGIN: s.url,
    OUTBOX_BACKOFF_MS: '100',
  };
}
