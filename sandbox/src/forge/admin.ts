/**
 * Operations with no REST route of their own (or shared by a route and the library): creating accounts,
 * repositories with initial files, installing the App, GitHub-side commits.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import type { ForgeCore } from './core.js';
import { iso, repoKey } from './core.js';
import { emitPush } from './events.js';
import type { GitIdentity } from './git.js';
import { ForgeHttpError, validationFailed } from './http-errors.js';
import { DEFAULT_APP_PERMISSIONS, APP_EVENTS, installationJson } from './shapes/accounts.js';
import { buildTree } from './tree-builder.js';
import { appById, installedBy } from './apps.js';
import type { InstallationRec, Permissions, RepoRec, TeamRec, UserRec } from './types.js';

export type SeedFile = string | Buffer | { content: string | Buffer; mode?: '100644' | '100755' | '120000' };

export interface CreateRepoOptions {
  files?: Record<string, SeedFile>;
  defaultBranch?: string;
  private?: boolean;
  description?: string;
  /** Message of the initial commit. */
  message?: string;
}

export function createOrg(core: ForgeCore, login: string): { id: number; login: string } {
  const key = login.toLowerCase();
  const existing = core.store.state.orgs[key];
  if (existing) return existing;
  if (core.store.state.users[key]) throw new ForgeHttpError(422, `${login} is already a user login`);
  const org = { id: core.store.id(), login, createdAt: iso(core.now()) };
  core.store.state.orgs[key] = org;
  core.store.save();
  return org;
}

export function createUser(
  core: ForgeCore,
  login: string,
  opts: { type?: 'User' | 'Bot'; name?: string; email?: string; orgs?: string[] } = {},
): UserRec & { token: string } {
  const key = login.toLowerCase();
  let user = core.store.state.users[key];
  if (!user) {
    const id = core.store.id();
    user = {
      id,
      login,
      type: opts.type ?? 'User',
      name: opts.name ?? login,
      email: opts.email ?? `${id}+${login}@users.noreply.github.com`,
      createdAt: iso(core.now()),
      ...(opts.orgs ? { orgs: opts.orgs } : {}),
    };
    core.store.state.users[key] = user;
  }
  let token = Object.entries(core.store.state.tokens).find(
    ([, t]) => t.kind === 'user' && t.login === user.login,
  )?.[0];
  if (!token) {
    token = `ghp_${randomBytes(27).toString('base64url').slice(0, 36)}`;
    core.store.state.tokens[token] = { kind: 'user', login: user.login };
  }
  core.store.save();
  return { ...user, token };
}

export function createTeam(core: ForgeCore, org: string, slug: string, members: string[] = []): TeamRec {
  const existing = core.store.state.teams.find(
    (t) => t.org.toLowerCase() === org.toLowerCase() && t.slug === slug,
  );
  if (existing) return existing;
  const team = { id: core.store.id(), org, slug, name: slug, members };
  core.store.state.teams.push(team);
  core.store.save();
  return team;
}

/** The identity of commits the forge itself writes (seeds): like GitHub's web-flow committer. */
export function forgeIdentity(core: ForgeCore): GitIdentity {
  return { name: 'GitHub', email: 'noreply@github.com', date: iso(core.now()) };
}

export async function createRepo(
  core: ForgeCore,
  owner: string,
  name: string,
  opts: CreateRepoOptions = {},
): Promise<RepoRec> {
  if (!/^[A-Za-z0-9_.-]{1,100}$/.test(name)) {
    throw validationFailed([{ resource: 'Repository', field: 'name', code: 'invalid' }]);
  }
  if (!core.store.account(owner)) createOrg(core, owner);
  const account = core.store.account(owner)!;
  if (core.store.repo(owner, name)) {
    throw validationFailed([
      {
        resource: 'Repository',
        field: 'name',
        code: 'custom',
        message: 'name already exists on this account',
      },
    ]);
  }
  const now = iso(core.now());
  const repo: RepoRec = {
    id: core.store.id(),
    owner: account.login,
    name,
    private: opts.private ?? true,
    description: opts.description ?? null,
    defaultBranch: opts.defaultBranch ?? 'main',
    allowAutoMerge: false,
    allowSquashMerge: true,
    allowMergeCommit: true,
    allowRebaseMerge: false,
    deleteBranchOnMerge: false,
    createdAt: now,
    updatedAt: now,
    pushedAt: now,
    nextNumber: 1,
  };
  const git = core.git(repo);
  if (!existsSync(git.dir)) await git.init(repo.defaultBranch);
  core.store.state.repos[repoKey(repo)] = repo;
  core.store.save();
  if (opts.files && Object.keys(opts.files).length) {
    const edits = [];
    for (const [path, file] of Object.entries(opts.files)) {
      const spec = typeof file === 'string' || Buffer.isBuffer(file) ? { content: file } : file;
      const sha = await git.writeBlob(Buffer.from(spec.content));
      edits.push({ path, mode: spec.mode ?? '100644', type: 'blob' as const, sha });
    }
    const tree = await buildTree(git, null, edits);
    const who = forgeIdentity(core);
    const commit = await git.commitTree({
      tree,
      parents: [],
      message: opts.message ?? 'Initial commit',
      author: who,
      committer: who,
    });
    await git.updateRef(`refs/heads/${repo.defaultBranch}`, commit);
  }
  return repo;
}

export function installApp(
  core: ForgeCore,
  account: string,
  opts: { repositories?: string[]; permissions?: Permissions; appId?: number } = {},
): InstallationRec {
  const { state } = core.store;
  if (!state.app) throw new Error('the forge has no App yet');
  const app = opts.appId === undefined ? state.app : appById(state, opts.appId);
  if (!app) throw new Error(`no App ${opts.appId}`);
  if (!core.store.account(account)) createOrg(core, account);
  const login = core.store.account(account)!.login;
  let inst = state.installations.find(
    (i) => i.account.toLowerCase() === login.toLowerCase() && installedBy(state, i, app),
  );
  if (inst) return inst;
  inst = {
    id: core.store.id(),
    ...(app === state.app ? {} : { appId: app.id }),
    account: login,
    selection: opts.repositories ? 'selected' : 'all',
    repositories: (opts.repositories ?? []).map((r) => r.toLowerCase()),
    permissions: opts.permissions ?? { ...DEFAULT_APP_PERMISSIONS },
    events: [...APP_EVENTS],
    createdAt: iso(core.now()),
  };
  state.installations.push(inst);
  core.store.save();
  // Only the first App has a webhook (the forge delivers App events to it alone).
  if (app !== state.app) return inst;
  const repos = Object.values(state.repos).filter((r) => r.owner === login);
  core.webhooks.emit(
    'installation',
    {
      action: 'created',
      installation: installationJson(core, inst),
      repositories: repos.map((r) => ({
        id: r.id,
        name: r.name,
        full_name: `${r.owner}/${r.name}`,
        private: r.private,
      })),
      requester: null,
      sender: { login: login, id: core.store.account(login)?.id ?? 0, type: 'User' },
    },
    { owner: login },
  );
  return inst;
}

/** Move a branch the way GitHub does for API writes: compare-and-swap, then a `push` webhook. */
export async function moveBranch(
  core: ForgeCore,
  repo: RepoRec,
  ref: string,
  sha: string | null,
  oldSha: string | null,
  pusher: string,
): Promise<boolean> {
  const git = core.git(repo);
  const moved = sha ? await git.updateRef(ref, sha, oldSha) : await git.deleteRef(ref);
  if (!moved) return false;
  const now = iso(core.now());
  repo.pushedAt = now;
  repo.updatedAt = now;
  core.store.save();
  if (ref.startsWith('refs/heads/') || ref.startsWith('refs/tags/')) {
    await emitPush(core, repo, ref, oldSha, sha, pusher);
    await core.afterRefMove?.(repo, ref, pusher);
  }
  return true;
}
