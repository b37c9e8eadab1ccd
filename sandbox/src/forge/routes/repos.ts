/** Repositories, organization repository lists, branches and teams. */
import { canSee } from '../auth.js';
import { createRepo } from '../admin.js';
import { ForgeHttpError, notFound, requiresAuth } from '../http-errors.js';
import type { Ctx, Router } from '../router.js';
import { bodyObject, optBool, optString, reqString } from '../body.js';
import { created, ok, okPage } from '../router.js';
import { teamSimple } from '../shapes/accounts.js';
import { api, commitJson, html } from '../shapes/git.js';
import { fullRepository, minimalRepo } from '../shapes/repo.js';
import { permsOf, repoFor, touch } from './common.js';

async function updateRepo(ctx: Ctx) {
  const { repo, git } = repoFor(ctx, 'administration', 'write');
  const body = bodyObject(ctx);
  const branch = optString(body, 'default_branch', 'Repository');
  if (branch !== undefined) {
    if (!(await git.refSha(`refs/heads/${branch}`))) {
      throw new ForgeHttpError(422, 'Validation Failed', [
        { resource: 'Repository', field: 'default_branch', code: 'invalid' },
      ]);
    }
    repo.defaultBranch = branch;
    await git.setHead(branch);
  }
  const flags = {
    allow_auto_merge: 'allowAutoMerge',
    allow_squash_merge: 'allowSquashMerge',
    allow_merge_commit: 'allowMergeCommit',
    allow_rebase_merge: 'allowRebaseMerge',
    delete_branch_on_merge: 'deleteBranchOnMerge',
    private: 'private',
  } as const;
  for (const [field, prop] of Object.entries(flags)) {
    const v = optBool(body, field, 'Repository');
    if (v !== undefined) repo[prop] = v;
  }
  const description = optString(body, 'description', 'Repository');
  if (description !== undefined) repo.description = description;
  touch(ctx, repo);
  ctx.core.store.save();
  return ok(await fullRepository(ctx.core, repo, permsOf(ctx, repo)));
}

async function createOrgRepo(ctx: Ctx) {
  const org = ctx.core.store.state.orgs[(ctx.params.org ?? '').toLowerCase()];
  if (!org) throw notFound();
  if (ctx.actor.kind === 'anonymous') throw requiresAuth();
  if (ctx.actor.kind === 'installation') {
    const { rec } = ctx.actor;
    const inst = ctx.core.store.state.installations.find((i) => i.id === rec.installationId);
    if (
      inst?.account.toLowerCase() !== org.login.toLowerCase() ||
      rec.permissions.administration !== 'write'
    ) {
      throw new ForgeHttpError(403, 'Resource not accessible by integration');
    }
  }
  const body = bodyObject(ctx);
  const name = reqString(body, 'name', 'Repository');
  const repo = await createRepo(ctx.core, org.login, name, {
    private: optBool(body, 'private', 'Repository') ?? false,
    ...(optString(body, 'description', 'Repository') !== undefined
      ? { description: optString(body, 'description', 'Repository') }
      : {}),
    ...(optBool(body, 'auto_init', 'Repository') ? { files: { 'README.md': `# ${name}\n` } } : {}),
  });
  if (ctx.actor.kind === 'installation' && ctx.actor.rec.repositories)
    ctx.actor.rec.repositories.push(name.toLowerCase());
  return created(await fullRepository(ctx.core, repo, permsOf(ctx, repo)));
}

async function getBranch(ctx: Ctx) {
  const { repo, git } = repoFor(ctx, 'contents', 'read');
  const name = ctx.params.branch ?? '';
  const sha = await git.refSha(`refs/heads/${name}`);
  const commit = sha ? await git.readCommit(sha) : null;
  if (!commit) throw new ForgeHttpError(404, 'Branch not found');
  return ok({
    name,
    commit: commitJson(ctx.core, repo, commit),
    _links: { self: `${api(ctx.core, repo)}/branches/${name}`, html: `${html(ctx.core, repo)}/tree/${name}` },
    protected: false,
    protection: {
      enabled: false,
      required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] },
    },
    protection_url: `${api(ctx.core, repo)}/branches/${name}/protection`,
  });
}

export function registerRepoRoutes(r: Router): void {
  r.add('GET', '/repos/{owner}/{repo}', async (ctx) => {
    const { repo } = repoFor(ctx, 'metadata', 'read');
    return ok(await fullRepository(ctx.core, repo, permsOf(ctx, repo)));
  });
  r.add('PATCH', '/repos/{owner}/{repo}', updateRepo);
  r.add('GET', '/orgs/{org}/repos', (ctx) => {
    const org = ctx.core.store.account(ctx.params.org ?? '');
    if (!org || org.type !== 'Organization') throw notFound();
    const repos = Object.values(ctx.core.store.state.repos)
      .filter((repo) => repo.owner === org.login && canSee(ctx.core, ctx.actor, repo))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id - b.id);
    return okPage(ctx, repos, (repo) => minimalRepo(ctx.core, repo, permsOf(ctx, repo)));
  });
  r.add('POST', '/orgs/{org}/repos', createOrgRepo);
  r.add('GET', '/repos/{owner}/{repo}/branches', async (ctx) => {
    const { repo, git } = repoFor(ctx, 'contents', 'read');
    const refs = await git.refs('refs/heads/');
    return okPage(ctx, refs, (ref) => ({
      name: ref.ref.slice('refs/heads/'.length),
      commit: { sha: ref.sha, url: `${api(ctx.core, repo)}/commits/${ref.sha}` },
      protected: false,
    }));
  });
  r.add('GET', '/repos/{owner}/{repo}/branches/{branch+}', getBranch);
  r.add('GET', '/orgs/{org}/teams', (ctx) => {
    const org = ctx.core.store.state.orgs[(ctx.params.org ?? '').toLowerCase()];
    if (!org) throw notFound();
    if (ctx.actor.kind === 'anonymous') throw requiresAuth();
    const teams = ctx.core.store.state.teams.filter((t) => t.org.toLowerCase() === org.login.toLowerCase());
    return okPage(ctx, teams, (t) => teamSimple(ctx.core, t));
  });
}
