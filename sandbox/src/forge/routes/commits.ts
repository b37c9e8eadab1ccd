/** REST commits (list, get with files) and compare `{base}...{head}`. */
import { diffFiles } from '../diff.js';
import { EMPTY_TREE } from '../git.js';
import { ForgeHttpError, notFound } from '../http-errors.js';
import type { Ctx, Router } from '../router.js';
import { ok, paginate } from '../router.js';
import { api, commitJson, diffEntryJson, html } from '../shapes/git.js';
import { repoFor } from './common.js';

/** GitHub lists at most 250 commits in a comparison and 300 files. */
const COMPARE_COMMITS = 250;
const COMPARE_FILES = 300;

async function listCommits(ctx: Ctx) {
  const { repo, git } = repoFor(ctx, 'contents', 'read');
  const rev = ctx.query.get('sha') ?? repo.defaultBranch;
  const head = await git.resolveCommit(rev);
  if (!head) {
    if ((await git.refs('refs/heads/')).length === 0)
      throw new ForgeHttpError(409, 'Git Repository is empty.');
    throw new ForgeHttpError(404, 'Not Found');
  }
  const path = ctx.query.get('path') ?? undefined;
  const shas = await git.revList(head, null, path ? { path } : {});
  const { page, headers } = paginate(ctx, shas);
  const commits = [];
  for (const sha of page) commits.push(commitJson(ctx.core, repo, (await git.readCommit(sha))!));
  return ok(commits, headers);
}

async function getCommit(ctx: Ctx) {
  const { repo, git } = repoFor(ctx, 'contents', 'read');
  const rev = ctx.params.ref ?? '';
  const sha = await git.resolveCommit(rev);
  const commit = sha ? await git.readCommit(sha) : null;
  if (!commit) throw new ForgeHttpError(422, `No commit found for SHA: ${rev}`);
  const files = await diffFiles(git, commit.parents[0] ?? EMPTY_TREE, commit.sha);
  return ok(commitJson(ctx.core, repo, commit, files));
}

async function compare(ctx: Ctx) {
  const { repo, git } = repoFor(ctx, 'contents', 'read');
  const spec = ctx.params.basehead ?? '';
  const dots = spec.includes('...') ? '...' : '..';
  const [baseRev = '', headRev = ''] = spec.split(dots);
  const base = await git.resolveCommit(baseRev);
  const head = await git.resolveCommit(headRev);
  if (!base || !head) throw notFound();
  const mergeBase = await git.mergeBase(base, head);
  if (!mergeBase) throw notFound();
  const ahead = await git.revList(head, base);
  const behind = await git.revList(base, head);
  const status =
    ahead.length && behind.length
      ? 'diverged'
      : ahead.length
        ? 'ahead'
        : behind.length
          ? 'behind'
          : 'identical';
  const commits = [];
  for (const sha of ahead.slice(0, COMPARE_COMMITS).reverse()) {
    commits.push(commitJson(ctx.core, repo, (await git.readCommit(sha))!));
  }
  const files = await diffFiles(git, dots === '...' ? mergeBase : base, head);
  const a = api(ctx.core, repo);
  const h = html(ctx.core, repo);
  return ok({
    url: `${a}/compare/${baseRev}...${headRev}`,
    html_url: `${h}/compare/${baseRev}...${headRev}`,
    permalink_url: `${h}/compare/${repo.owner}:${base.slice(0, 7)}...${repo.owner}:${head.slice(0, 7)}`,
    diff_url: `${h}/compare/${baseRev}...${headRev}.diff`,
    patch_url: `${h}/compare/${baseRev}...${headRev}.patch`,
    base_commit: commitJson(ctx.core, repo, (await git.readCommit(base))!),
    merge_base_commit: commitJson(ctx.core, repo, (await git.readCommit(mergeBase))!),
    status,
    ahead_by: ahead.length,
    behind_by: behind.length,
    total_commits: ahead.length,
    commits,
    files: files.slice(0, COMPARE_FILES).map((f) => diffEntryJson(ctx.core, repo, head, f)),
  });
}

export function registerCommitRoutes(r: Router): void {
  r.add('GET', '/repos/{owner}/{repo}/commits', listCommits);
  r.add('GET', '/repos/{owner}/{repo}/commits/{ref+}', getCommit);
  r.add('GET', '/repos/{owner}/{repo}/compare/{basehead+}', compare);
}
