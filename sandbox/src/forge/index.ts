/**
 * `startForge()`: a stateful local GitHub (REST + git smart HTTP + Actions OIDC) on loopback, backed by real
 * bare git repositories under `stateDir`. Returns URLs, the App's credentials and handles tests use to seed
 * data, inject faults, read the request log and inspect what clients wrote (dispatches, webhooks, secrets).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CreateRepoOptions } from './admin.js';
import { createOrg, createRepo, createTeam, createUser, installApp } from './admin.js';
import { ensureExtraApp, registerApp } from './apps.js';
import { mintInstallationToken } from './auth.js';
import type { ForgeCore } from './core.js';
import { gitRepoFor, iso, keyedLock } from './core.js';
import { Faults } from './faults.js';
import type { ContentLimitOptions } from './limits.js';
import { ContentLimiter, RateBook } from './limits.js';
import type { ActionsIdTokenClaims } from './oidc.js';
import { OidcIssuer } from './oidc.js';
import { buildRouter } from './routes/index.js';
import { syncPullHeads } from './routes/pulls.js';
import { decryptSecret, publicKeyFor, scopeKey, seal } from './secrets.js';
import type { Exchange, RequestLogEntry } from './server.js';
import { API_PREFIX, createForgeServer } from './server.js';
import { Store } from './store.js';
import type { DispatchRec, ForgeState, Permissions, RepoRec, RunRec } from './types.js';
import { Webhooks } from './webhooks.js';
import { updateRun } from './workflows.js';

export type { FaultSpec as ForgeFaultSpec } from './faults.js';
export type { Exchange as ForgeExchange, RequestLogEntry as ForgeRequestLogEntry } from './server.js';
export type { Delivery as WebhookDelivery } from './webhooks.js';
export type { DispatchRec, RunRec, ForgeState } from './types.js';
export type { ActionsIdTokenClaims } from './oidc.js';
export type { CreateRepoOptions, SeedFile } from './admin.js';
export { signBody } from './webhooks.js';

/** An App's credentials as a client needs them (the key is PKCS#1 PEM, as GitHub issues it). */
export interface ForgeApp {
  appId: number;
  slug: string;
  privateKey: string;
  installationId: number;
}

export interface StartForgeOptions {
  /** Where repositories and state live; default a new temp dir. Reusing one restores the previous state. */
  stateDir?: string;
  port?: number;
  host?: string;
  /** Organization created (with the App installed on it) at start; default 'acme'. */
  org?: string;
  /** Installation token lifetime (GitHub: 1 hour). */
  tokenTtlMs?: number;
  /** Enforce GitHub's content-creation secondary limit (true = 80/min, 500/h per installation or user). */
  contentCreationLimit?: boolean | ContentLimitOptions;
  now?: () => Date;
}

export interface Forge {
  url: string;
  apiUrl: string;
  stateDir: string;
  /** Clone URL; with a token it carries `x-access-token:<token>@`. */
  gitUrl(owner: string, repo: string, token?: string): string;
  oidc: {
    issuer: string;
    mintActionsIdToken(claims: ActionsIdTokenClaims): Promise<string>;
    /** ACTIONS_ID_TOKEN_REQUEST_URL / _TOKEN values for `@actions/core` getIDToken(). */
    requestToken(claims: ActionsIdTokenClaims): { url: string; token: string };
  };
  app: { appId: number; slug: string; privateKey: string; privateKeyPath: string; installationId: number };
  /**
   * Register (or find, by slug) another App and install it on `account` (default: the forge's org). Use it
   * when two parties must not share an identity, e.g. the PR author and the reviewer.
   */
  createApp(slug: string, opts?: { name?: string; account?: string }): ForgeApp;
  createOrg(login: string): { id: number; login: string };
  createRepo(owner: string, name: string, opts?: CreateRepoOptions): Promise<RepoRec>;
  installApp(account: string, opts?: { repositories?: string[]; permissions?: Permissions }): number;
  createUser(
    login: string,
    opts?: { type?: 'User' | 'Bot'; name?: string; email?: string; orgs?: string[] },
  ): { login: string; id: number; token: string; email: string };
  createTeam(org: string, slug: string, members?: string[]): { id: number; slug: string };
  /** Mint an installation token directly (no JWT round trip); `ttlMs` overrides the lifetime. */
  tokenForInstallation(
    installationId?: number,
    opts?: { ttlMs?: number; repositories?: string[]; permissions?: Permissions },
  ): string;
  /** The App's own webhook (receives every installation event, with `installation`). */
  setAppWebhook(config: { url: string; secret: string }): void;
  webhooks: Webhooks;
  requests: RequestLogEntry[];
  /** 'METHOD /route/template' → count, optionally for the API only or writes only. */
  countsByRoute(filter?: { writesOnly?: boolean; kind?: RequestLogEntry['kind'] }): Record<string, number>;
  clearRequests(): void;
  faults: Faults;
  onDispatch(listener: (d: DispatchRec) => unknown): () => void;
  readonly dispatches: DispatchRec[];
  updateWorkflowRun(
    runId: number,
    patch: { status: RunRec['status']; conclusion?: string | null },
  ): Promise<RunRec>;
  /** Plaintext of a stored secret; scope `repo:<o>/<r>`, `org:<o>` or `env:<o>/<r>/<env>`. */
  decryptSecret(scope: string, name: string): string | undefined;
  /** Store a secret as if a client had PUT it (for seeding). */
  setSecret(scope: string, name: string, value: string): void;
  onExchange(listener: (x: Exchange) => void): () => void;
  readonly state: ForgeState;
  stop(): Promise<void>;
}

function ensureApp(core: ForgeCore): void {
  const { state } = core.store;
  if (state.app) return;
  state.app = registerApp(
    core,
    'autocode-sandbox',
    'autocode sandbox',
    Object.values(state.orgs)[0]?.login ?? 'acme',
  );
  core.store.save();
}

export async function startForge(options: StartForgeOptions = {}): Promise<Forge> {
  const stateDir = options.stateDir ?? mkdtempSync(join(tmpdir(), 'forge-'));
  const store = new Store(stateDir);
  const now = options.now ?? (() => new Date());
  const core: ForgeCore = {
    store,
    url: '',
    apiUrl: '',
    now,
    tokenTtlMs: options.tokenTtlMs ?? 3_600_000,
    webhooks: new Webhooks(store, now),
    rate: new RateBook(now),
    git: gitRepoFor(store),
    lock: keyedLock(),
    onDispatchListeners: [],
  };
  core.afterRefMove = (repo, ref, pusher) => syncPullHeads(core, repo, ref, pusher);
  const faults = new Faults();
  const log: RequestLogEntry[] = [];
  const exchanges: ((x: Exchange) => void)[] = [];
  const limitOpts = options.contentCreationLimit;
  const limiter = limitOpts ? new ContentLimiter(limitOpts === true ? {} : limitOpts, now) : undefined;
  const oidc = new OidcIssuer(store, '', now);
  const server = createForgeServer({
    core,
    router: buildRouter(),
    faults,
    oidc,
    log,
    exchanges,
    ...(limiter ? { limiter } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;
  core.url = `http://${options.host ?? '127.0.0.1'}:${port}`;
  core.apiUrl = `${core.url}${API_PREFIX}`;
  oidc.issuer = `${core.url}/oidc`;

  const org = options.org ?? 'acme';
  createOrg(core, org);
  ensureApp(core);
  const installationId = installApp(core, org).id;
  const privateKeyPath = join(stateDir, 'app.pem');
  writeFileSync(privateKeyPath, store.state.app!.privateKeyPem, { mode: 0o600 });

  const forge: Forge = {
    url: core.url,
    apiUrl: core.apiUrl,
    stateDir,
    gitUrl: (owner, repo, token) =>
      `${core.url.replace('://', token ? `://x-access-token:${token}@` : '://')}/${owner}/${repo}.git`,
    oidc: {
      issuer: `${core.url}/oidc`,
      mintActionsIdToken: (claims) => oidc.mint(claims),
      requestToken: (claims) => oidc.requestToken(claims),
    },
    app: {
      appId: store.state.app!.id,
      slug: store.state.app!.slug,
      privateKey: store.state.app!.privateKeyPem,
      privateKeyPath,
      installationId,
    },
    createOrg: (login) => createOrg(core, login),
    createRepo: (owner, name, opts) => createRepo(core, owner, name, opts),
    createApp: (slug, opts = {}) => {
      const app = ensureExtraApp(core, slug, opts.name ?? slug, org);
      const inst = installApp(core, opts.account ?? org, { appId: app.id });
      return { appId: app.id, slug: app.slug, privateKey: app.privateKeyPem, installationId: inst.id };
    },
    installApp: (account, opts) => installApp(core, account, opts).id,
    createUser: (login, opts) => createUser(core, login, opts),
    createTeam: (orgLogin, slug, members) => createTeam(core, orgLogin, slug, members),
    tokenForInstallation: (id = installationId, opts = {}) => {
      const inst = store.state.installations.find((i) => i.id === id);
      if (!inst) throw new Error(`no installation ${id}`);
      return mintInstallationToken(core, inst, opts).token;
    },
    setAppWebhook: ({ url, secret }) => {
      Object.assign(store.state.app!.webhook, { url, secret, active: !!url });
      store.save();
    },
    webhooks: core.webhooks,
    requests: log,
    countsByRoute: (filter = {}) => {
      const counts: Record<string, number> = {};
      for (const e of log) {
        if (filter.kind && e.kind !== filter.kind) continue;
        if (filter.writesOnly && ['GET', 'HEAD'].includes(e.method)) continue;
        const key = `${e.method} ${e.route}`;
        counts[key] = (counts[key] ?? 0) + 1;
      }
      return counts;
    },
    clearRequests: () => void log.splice(0),
    faults,
    onDispatch: (listener) => {
      core.onDispatchListeners.push(listener);
      return () => void core.onDispatchListeners.splice(core.onDispatchListeners.indexOf(listener), 1);
    },
    get dispatches() {
      return store.state.dispatches;
    },
    updateWorkflowRun: (runId, patch) => updateRun(core, runId, patch),
    decryptSecret: (scope, name) => decryptSecret(store, scope, name),
    setSecret: (scope, name, value) => {
      const key = publicKeyFor(store, scope);
      const list = (store.state.secrets[scopeKey(scope)] ??= []);
      const at = iso(now());
      const rec = {
        name: name.toUpperCase(),
        encryptedValue: seal(key, value),
        keyId: key.keyId,
        createdAt: at,
        updatedAt: at,
      };
      const i = list.findIndex((s) => s.name === rec.name);
      if (i >= 0) list[i] = rec;
      else list.push(rec);
      store.save();
    },
    onExchange: (listener) => {
      exchanges.push(listener);
      return () => void exchanges.splice(exchanges.indexOf(listener), 1);
    },
    get state() {
      return store.state;
    },
    stop: async () => {
      await core.webhooks.idle();
      store.save();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return forge;
}
