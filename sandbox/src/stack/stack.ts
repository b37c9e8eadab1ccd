/**
 * `autocode up` as a library: the whole system on this machine. The edge Worker in workerd (D1/KV persisted
 * under `<state>/edge`, migrations applied) serving the PWA from the same origin; unless real GitHub App
 * credentials are configured, the sandbox forge seeded as by `autocode sandbox up` (`<state>/sandbox`), the
 * autocode workflows installed in its repositories and the local runner answering their dispatches; a
 * development OpenID provider with the dev users unless a real one is configured; the sandbox LLM server only
 * with `llm: 'sandbox'`. `stop()` ends everything; starting again on the same state directory keeps it all.
 */
import { existsSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { LlmProviderConfig } from '@autocode/toolkit';
import { DEV_USERS, startLocalWorker } from '@autocode/edge-api/dev';
import type { DevIssuer, LocalWorker } from '@autocode/edge-api/dev';
import type { Forge } from '../forge/index.js';
import type { LocalRunner } from '../runner/index.js';
import type { Sandbox } from '../up.js';
import { loadStackConfig } from './config.js';
import type { LlmChoice, StackConfig } from './config.js';
import { startDevSignIn } from './identity.js';
import type { SignIn } from './identity.js';
import { ensurePwaBuild, prepareSite } from './pwa.js';
import { resolvePorts } from './ports.js';
import type { StackPorts } from './ports.js';
import { edgeSecrets } from './secrets.js';
import { startSandboxGitHub } from './github.js';
import type { SandboxGitHub } from './github.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const CLIENT_ID = 'autocode-app';

export interface StackOptions {
  /** The autocode checkout (actions, workflows, PWA sources); default: this one. */
  root?: string;
  /** Everything kept between starts (default `<root>/.autocode`): `sandbox/`, `edge/`, `pwa/`. */
  stateDir?: string;
  /** autocode.yaml (default `<root>/autocode.yaml`; absent is fine). */
  configFile?: string;
  ports?: Partial<StackPorts>;
  /** Where codegen's model comes from (default `config`: autocode.yaml or AUTOCODE_LLM_PROVIDERS). */
  llm?: LlmChoice;
  env?: NodeJS.ProcessEnv;
  /** Progress and runner lines (default: nowhere). */
  log?: (line: string) => void;
  /** Fire the Worker's cron this often (Cloudflare: every minute). */
  cronIntervalMs?: number;
}

export interface StackUrls {
  app: string;
  edge: string;
  signIn: string;
  forge?: string;
  forgeApi?: string;
  gitTemplate?: string;
  llm?: string;
}

export interface Stack {
  urls: StackUrls;
  mode: 'sandbox' | 'github';
  config: StackConfig;
  providers: LlmProviderConfig[];
  /** Development users offered on the sign-in page (empty with a real identity provider). */
  users: { key: string; name: string; roles: string[] }[];
  stateDir: string;
  worker: LocalWorker;
  forge?: Forge;
  sandbox?: Sandbox;
  runner?: LocalRunner;
  issuer?: DevIssuer;
  /** A clone token for the sandbox repositories (a forge user's). */
  cloneToken?: string;
  stop(): Promise<void>;
}

/** Delete the kept state of `autocode up` (sandbox repositories, edge database, secrets). */
export function resetStack(stateDir: string): string[] {
  const removed: string[] = [];
  for (const part of ['sandbox', 'edge']) {
    const dir = join(stateDir, part);
    if (existsSync(dir)) {
      rmSync(dir, { recursive: true, force: true });
      removed.push(dir);
    }
  }
  return removed;
}

export async function startStack(opts: StackOptions = {}): Promise<Stack> {
  const root = resolve(opts.root ?? REPO_ROOT);
  const stateDir = resolve(opts.stateDir ?? join(root, '.autocode'));
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => {});
  const config = loadStackConfig(opts.configFile ?? join(root, 'autocode.yaml'), env);
  const mode = config.github ? 'github' : 'sandbox';
  const llm = opts.llm ?? 'config';
  if (llm === 'sandbox' && mode === 'github') {
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      '--llm sandbox needs the sandbox (no github: App in autocode.yaml)',
    );
  }
  const ports = await resolvePorts(opts.ports ?? {}, [
    'app',
    ...(config.identity ? [] : (['login', 'keys'] as const)),
    ...(mode === 'sandbox' ? (['forge'] as const) : []),
    ...(llm === 'sandbox' ? (['llm'] as const) : []),
  ]);
  const appUrl = `http://localhost:${ports.app}`;
  const edgeUrl = `http://127.0.0.1:${ports.app}`;
  const stops: (() => Promise<unknown> | unknown)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await Promise.resolve(s()).catch(() => {});
  };
  try {
    const secrets = edgeSecrets(join(stateDir, 'edge/secrets.json'));
    const github: SandboxGitHub | undefined =
      mode === 'sandbox'
        ? await startSandboxGitHub({ root, stateDir, ports, llm, log, webhookSecret: secrets.WEBHOOK_SECRET })
        : undefined;
    if (github) stops.push(() => github.stop());
    const providers = llm === 'none' ? [] : (github?.providers ?? config.providers);
    const signIn: SignIn = await startDevSignIn({
      identity: config.identity,
      ports,
      appUrl,
      clientId: CLIENT_ID,
    });
    stops.push(() => signIn.stop());

    const buildDir = join(stateDir, 'pwa');
    await ensurePwaBuild(root, buildDir, log);
    const site = join(stateDir, 'edge/site');
    prepareSite(buildDir, site, {
      issuer: signIn.issuer,
      clientId: signIn.clientId,
      audience: signIn.audience,
      rolesClaim: signIn.rolesClaim,
      vapidPublicKey: secrets.VAPID_PUBLIC_KEY,
      environment: 'dev',
    });
    const worker = await startLocalWorker({
      bindings: {
        ENVIRONMENT: 'dev',
        PUBLIC_URL: appUrl,
        OIDC_ISSUER: signIn.issuer,
        OIDC_AUDIENCE: signIn.audience,
        ...(signIn.jwksUrl ? { OIDC_JWKS_URL: signIn.jwksUrl } : {}),
        OIDC_ROLES_CLAIM: signIn.rolesClaim,
        EDGE_AUDIENCE: 'autocode-edge',
        WEBAUTHN_RP_ID: 'localhost',
        WEBAUTHN_ORIGIN: appUrl,
        DEFAULT_DAILY_LLM_BUDGET_USD: '100',
        ALERT_KIND: 'slack',
        VAPID_SUBJECT: 'mailto:autocode@localhost',
        ...(github ? github.edgeBindings : realGitHubBindings(config)),
        ...secrets,
      },
      d1Persist: join(stateDir, 'edge/d1'),
      kvPersist: join(stateDir, 'edge/kv'),
      assetsDir: site,
      buildDir: join(stateDir, 'edge/worker'),
      port: ports.app,
      cronIntervalMs: opts.cronIntervalMs ?? 60_000,
    });
    stops.push(() => worker.close());
    const runner = github?.connect(edgeUrl, providers, config.keys);
    if (runner) stops.push(() => runner.stop());
    return {
      urls: {
        app: `${appUrl}/`,
        edge: appUrl,
        signIn: signIn.issuer,
        ...(github ? github.urls : {}),
      },
      mode,
      config,
      providers,
      users: signIn.users,
      stateDir,
      worker,
      ...(github ? { forge: github.forge, sandbox: github.sandbox, cloneToken: github.cloneToken } : {}),
      ...(runner ? { runner } : {}),
      ...(signIn.issuerHandle ? { issuer: signIn.issuerHandle } : {}),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}

/** The Worker's GitHub settings when real App credentials are configured (webhooks need a public URL). */
function realGitHubBindings(config: StackConfig): Record<string, string> {
  const gh = config.github!;
  const owner = process.env.AUTOCODE_OWNER;
  if (!owner) {
    throw new AutocodeError(
      ErrorCodes.CONFIG_INVALID,
      'set AUTOCODE_OWNER to the organization the App is installed on',
      {
        hint: 'with github: credentials in autocode.yaml the stack talks to GitHub, and the edge allows one owner',
      },
    );
  }
  return {
    GITHUB_API_URL: gh.apiUrl,
    GITHUB_APP_ID: gh.appId,
    GITHUB_APP_PRIVATE_KEY: gh.privateKey,
    GITHUB_INSTALLATION_ID: String(gh.installationId),
    ALLOWED_OWNERS: owner,
    FOUNDATION_REPO: `${owner}/foundation`,
    KILLSWITCH_REPOS: `${owner}/foundation`,
  };
}

export { DEV_USERS };
