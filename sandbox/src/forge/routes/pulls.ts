/** Pull requests: create, list (head/base/state filters), get, update, files (with patches), commits. */
import { iso } from '../core.js';
import { diffFiles } from '../diff.js';
import { emitRepoEvent } from '../events.js';
import { notFound, validationFailed } from '../http-errors.js';
import type { Ctx, Router } from '../router.js';
import { bodyObject, oneOf, optBool, optString, reqString } from '../body.js';
import { created, intParam, ok, okPage, paginate } from '../router.js';
import { commitJson, diffEntryJson } from '../shapes/git.js';
import type { PullIssue } from '../shapes/pulls.js';
import { pullJson, pullRange, pullSimpleJson } from '../shapes/pulls.js';
import type { ForgeCore } from '../core.js';
import type { RepoRec } from '../types.js';
import { loginOf, repoFor } from './common.js';

/** GitHub's pull request files endpoint returns at most 3000 files. */
const MAX_FILES = 3000;

export function findPull(ctx: Ctx, key: string): PullIssue {
  const n = intParam(ctx, 'pull_number');
  const pr = ctx.core.store.state.issues[key]?.find((i) => i.number === n && i.pull);
  if (!pr) throw notFound();
  return pr as PullIssue;
}

export async function emitPull(
  core: ForgeCore,
  repo: RepoRec,
  pr: PullIssue,
  action: string,
  sender: string,
  extra = {},
) {
  emitRepoEvent(core, repo, 'pull_request', sender, {
    action,
    number: pr.number,
    pull_request: await pullJson(core, repo, pr),
    ...extra,
  });
}

async function createPull(ctx: Ctx) {
  const { repo, key, git } = repoFor(ctx, 'pull_requests', 'write');
  const body = bodyObject(ctx);
  const title = reqString(body, 'title', 'PullRequest');
  const headSpec = reqString(body, 'head', 'PullRequest');
  const base = reqString(body, 'base', 'PullRequest');
  const headRef = headSpec.includes(':') ? headSpec.slice(headSpec.indexOf(':') + 1) : headSpec;
  const headSha = await git.refSha(`refs/heads/${headRef}`);
  const baseSha = await git.refSha(`refs/heads/${base}`);
  const fail = (field: string) => validationFailed([{ resource: 'PullRequest', field, code: 'invalid' }]);
  if (!headSha) throw fail('head');
  if (!baseSha) throw fail('base');
  const issues = ctx.core.store.list('issues', key);
  const dup = issues.find(
    (i) => i.pull && i.state === 'open' && i.pull.headRef === headRef && i.pull.baseRef === base,
  );
  if (dup) {
    throw validationFailed([
      {
        resource: 'PullRequest',
        code: 'custom',
        message: `A pull request already exists for ${repo.owner}:${headRef}.`,
      },
    ]);
  }
  if ((await git.revList(headSha, baseSha, { max: 1 })).length === 0) {
    throw validationFailed([
      { resource: 'PullRequest', code: 'custom', message: `No commits between ${base} and ${headRef}` },
    ]);
  }
  const now = iso(ctx.core.now());
  const pr: PullIssue = {
    id: ctx.core.store.id(),
    number: repo.nextNumber++,
    title,
    body: optString(body, 'body', 'PullRequest') ?? null,
    user: loginOf(ctx),
    state: 'open',
    stateReason: null,
    labels: [],
    assignees: [],
    createdAt: now,
    updatedAt: now,
    closedAt: null,
    pull: {
      headRef,
      headRepo: key,
      headSha,
      baseRef: base,
      draft: optBool(body, 'draft', 'PullRequest') ?? false,
      merged: false,
      mergedAt: null,
      mergedBy: null,
      mergeCommitSha: null,
      maintainerCanModify: optBool(body, 'maintainer_can_modify', 'PullRequest') ?? true,
      requestedReviewers: [],
      requestedTeams: [],
    },
  };
  issues.push(pr);
  ctx.core.store.save();
  await emitPull(ctx.core, repo, pr, 'opened', loginOf(ctx));
  return created(await pullJson(ctx.core, repo, pr));
}

async function listPulls(ctx: Ctx) {
  const { repo, key } = repoFor(ctx, 'pull_requests', 'read');
  const state = oneOf(
    ctx.query.get('state') ?? 'open',
    ['open', 'closed', 'all'] as const,
    'state',
    'PullRequest',
  );
  const head = ctx.query.get('head');
  const base = ctx.query.get('base');
  const direction = ctx.query.get('direction') ?? 'desc';
  let pulls = (ctx.core.store.state.issues[key] ?? []).filter((i): i is PullIssue => !!i.pull);
  if (state !== 'all') pulls = pulls.filter((p) => p.state === state);
  if (head) {
    const [owner, branch] = head.includes(':') ? head.split(':', 2) : [repo.owner, head];
    pulls = pulls.filter(
      (p) => p.pull.headRef === branch && p.pull.headRepo.startsWith(`${owner?.toLowerCase()}/`),
    );
  }
  if (base) pulls = pulls.filter((p) => p.pull.baseRef === base);
  const sortKey = ctx.query.get('sort') === 'updated' ? 'updatedAt' : 'createdAt';
  pulls = [...pulls].sort((a, b) => a[sortKey].localeCompare(b[sortKey]) || a.number - b.number);
  if (direction === 'desc') pulls.reverse();
  const { page, headers } = paginate(ctx, pulls);
  const out = [];
  for (const p of page) out.push(await pullSimpleJson(ctx.core, repo, p));
  return ok(out, headers);
}

async function updatePull(ctx: Ctx) {
  const { repo, key, git } = repoFor(ctx, 'pull_requests', 'write');
  const pr = findPull(ctx, key);
  const body = bodyObject(ctx);
  const title = optString(body, 'title', 'PullRequest');
  const text = optString(body, 'body', 'PullRequest');
  const state = oneOf(
    optString(body, 'state', 'PullRequest'),
    ['open', 'closed'] as const,
    'state',
    'PullRequest',
  );
  const base = optString(body, 'base', 'PullRequest');
  if (base !== undefined && !(await git.refSha(`refs/heads/${base}`))) {
    throw validationFailed([{ resource: 'PullRequest', field: 'base', code: 'invalid' }]);
  }
  const edited = title !== undefined || text !== undefined || base !== undefined;
  if (title !== undefined) pr.title = title;
  if (text !== undefined) pr.body = text;
  if (base !== undefined) pr.pull.baseRef = base;
  const mcm = optBool(body, 'maintainer_can_modify', 'PullRequest');
  if (mcm !== undefined) pr.pull.maintainerCanModify = mcm;
  let action: string | null = edited ? 'edited' : null;
  if (state && state !== pr.state && !pr.pull.merged) {
    if (state === 'closed') {
      const { head, base: baseSha } = await pullRange(ctx.core, repo, pr);
      pr.pull.headSha = head;
      pr.pull.baseSha = baseSha;
    }
    pr.state = state;
    pr.closedAt = state === 'closed' ? iso(ctx.core.now()) : null;
    action = state === 'closed' ? 'closed' : 'reopened';
  }
  pr.updatedAt = iso(ctx.core.now());
  ctx.core.store.save();
  if (action) await emitPull(ctx.core, repo, pr, action, loginOf(ctx));
  return ok(await pullJson(ctx.core, repo, pr));
}

export function registerPullRoutes(r: Router): void {
  r.add('POST', '/repos/{owner}/{repo}/pulls', createPull);
  r.add('GET', '/repos/{owner}/{repo}/pulls', listPulls);
  r.add('GET', '/repos/{owner}/{repo}/pulls/{pull_number}', async (ctx) => {
    const { repo, key } = repoFor(ctx, 'pull_requests', 'read');
    return ok(await pullJson(ctx.core, repo, findPull(ctx, key)));
  });
  r.add('PATCH', '/repos/{owner}/{repo}/pulls/{pull_number}', updatePull);
  r.add('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/files', async (ctx) => {
    const { repo, key, git } = repoFor(ctx, 'pull_requests', 'read');
    const { head, mergeBase } = await pullRange(ctx.core, repo, findPull(ctx, key));
    const files = (await diffFiles(git, mergeBase, head)).slice(0, MAX_FILES);
    return okPage(ctx, files, (f) => diffEntryJson(ctx.core, repo, head, f));
  });
  r.add('GET', '/repos/{owner}/{repo}/pulls/{pull_number}/commits', async (ctx) => {
    const { repo, key, git } = repoFor(ctx, 'pull_requests', 'read');
    const { head, base } = await pullRange(ctx.core, repo, findPull(ctx, key));
    const shas = (await git.revList(head, base)).reverse();
    const { page, headers } = paginate(ctx, shas);
    const out = [];
    for (const sha of page) out.push(commitJson(ctx.core, repo, (await git.readCommit(sha))!));
    return ok(out, headers);
  });
}

/** A branch moved: open PRs whose head it is get `synchronize`. */
export async function syncPullHeads(
  core: ForgeCore,
  repo: RepoRec,
  ref: string,
  pusher: string,
): Promise<void> {
  if (!ref.startsWith('refs/heads/')) return;
  const branch = ref.slice('refs/heads/'.length);
  const key = `${repo.owner}/${repo.name}`.toLowerCase();
  for (const [baseKey, issues] of Object.entries(core.store.state.issues)) {
    const baseRepo = core.store.state.repos[baseKey];
    if (!baseRepo) continue;
    for (const pr of issues) {
      if (!pr.pull || pr.state !== 'open' || pr.pull.headRepo !== key || pr.pull.headRef !== branch) continue;
      const sha = await core.git(repo).refSha(ref);
      if (!sha || sha === pr.pull.headSha) continue;
      const before = pr.pull.headSha;
      pr.pull.headSha = sha;
      pr.updatedAt = new Date(core.now()).toISOString().replace(/\.\d{3}Z$/, 'Z');
      core.store.save();
      await emitPull(core, baseRepo, pr as PullIssue, 'synchronize', pusher, { before, after: sha });
    }
  }
}
