/** Helpers every repository route uses: resolve `{owner}/{repo}` with access checks, actors, ref names. */
import { actorLogin, repoPermissions, requireRepoAccess } from '../auth.js';
import { repoKey } from '../core.js';
import type { GitRepo } from '../git.js';
import { notFound } from '../http-errors.js';
import type { Ctx } from '../router.js';
import type { Permission, PermissionName, RepoRec } from '../types.js';

export interface RepoHandle {
  repo: RepoRec;
  key: string;
  git: GitRepo;
}

export function repoFor(ctx: Ctx, permission: PermissionName, level: Permission): RepoHandle {
  const repo = ctx.core.store.repo(ctx.params.owner ?? '', ctx.params.repo ?? '');
  if (!repo) throw notFound();
  requireRepoAccess(ctx.core, ctx.actor, repo, permission, level);
  return { repo, key: repoKey(repo), git: ctx.core.git(repo) };
}

export function loginOf(ctx: Ctx): string {
  return actorLogin(ctx.core, ctx.actor);
}

export function permsOf(ctx: Ctx, repo: RepoRec) {
  return repoPermissions(ctx.core, ctx.actor, repo);
}

/** Branch names arrive as `main`, `heads/main` or `refs/heads/main` depending on the route. */
export function branchRef(name: string): string {
  if (name.startsWith('refs/')) return name;
  if (name.startsWith('heads/')) return `refs/${name}`;
  return `refs/heads/${name}`;
}

/** Mark the repository as changed now (pushed_at/updated_at feed repository payloads). */
export function touch(ctx: { core: Ctx['core'] }, repo: RepoRec, pushed = false): void {
  const now = ctx.core
    .now()
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z');
  repo.updatedAt = now;
  if (pushed) repo.pushedAt = now;
}

/** The records (comments, reviews) of one issue or pull request from a repository's list. */
export function ofNumber<T extends { number: number }>(list: T[] | undefined, number: number): T[] {
  return (list ?? []).filter((r) => r.number === number);
}
