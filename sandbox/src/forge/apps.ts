/**
 * GitHub Apps on the forge. The first App lives in `state.app` (every existing caller knows only that one);
 * more can be registered (`state.extraApps`), as an organization installs several Apps on GitHub. A second
 * identity matters because GitHub refuses a review from a pull request's own author: whoever publishes PRs
 * (the workflows' App) cannot be the one that approves them (the edge API's App).
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import type { ForgeCore } from './core.js';
import { iso } from './core.js';
import type { AppRec, ForgeState, InstallationRec } from './types.js';

export function allApps(state: ForgeState): AppRec[] {
  return [...(state.app ? [state.app] : []), ...(state.extraApps ?? [])];
}

export function appById(state: ForgeState, id: number): AppRec | undefined {
  return allApps(state).find((a) => a.id === id);
}

/** The App an installation belongs to (installations without `appId` belong to the first App). */
export function appOf(state: ForgeState, inst: InstallationRec): AppRec | undefined {
  return inst.appId === undefined ? (state.app ?? undefined) : appById(state, inst.appId);
}

export function installedBy(state: ForgeState, inst: InstallationRec, app: AppRec): boolean {
  return appOf(state, inst)?.id === app.id;
}

/** Register an App: a fresh RSA key (PKCS#1, as GitHub issues them) and its `<slug>[bot]` user. */
export function registerApp(core: ForgeCore, slug: string, name: string, owner: string): AppRec {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  const id = core.store.id();
  const app: AppRec = {
    id,
    slug,
    name,
    clientId: `Iv1.${randomBytes(8).toString('hex')}`,
    owner,
    privateKeyPem: privateKey,
    publicKeyPem: publicKey,
    createdAt: iso(core.now()),
    webhook: { url: '', secret: '', contentType: 'json', active: false },
  };
  const bot = `${slug}[bot]`;
  core.store.state.users[bot.toLowerCase()] ??= {
    id: core.store.id(),
    login: bot,
    type: 'Bot',
    name: bot,
    email: `${id}+${bot}@users.noreply.github.com`,
    createdAt: iso(core.now()),
  };
  return app;
}

/** Find or register an extra App by slug (idempotent across restarts on kept state). */
export function ensureExtraApp(core: ForgeCore, slug: string, name: string, owner: string): AppRec {
  const { state } = core.store;
  const existing = allApps(state).find((a) => a.slug === slug);
  if (existing) return existing;
  const app = registerApp(core, slug, name, owner);
  (state.extraApps ??= []).push(app);
  core.store.save();
  return app;
}
