/** Git Data API: refs (with force semantics), trees (base_tree, inline content, deletions), blobs, commits. */
import { iso } from '../core.js';
import { moveBranch } from '../admin.js';
import { isSha } from '../git.js';
import type { GitIdentity, GitRepo } from '../git.js';
import { ForgeHttpError, notFound, unprocessable, validationFailed } from '../http-errors.js';
import type { Ctx, Router } from '../router.js';
import { bodyObject, optBool, optString, reqString } from '../body.js';
import { created, noContent, ok } from '../router.js';
import { gitCommitJson, refJson, treeJson } from '../shapes/git.js';
import { webFlowIdentity } from '../shapes/git.js';
import { buildTree, type TreeEdit } from '../tree-builder.js';
import { loginOf, repoFor } from './common.js';

const MODES = ['100644', '100755', '040000', '160000', '120000'] as const;
const TYPE_OF_MODE: Record<string, string> = {
  '100644': 'blob',
  '100755': 'blob',
  '120000': 'blob',
  '040000': 'tree',
  '160000': 'commit',
};

/** GitHub wraps base64 blob content at 60 characters per line. */
function wrap60(b64: string): string {
  return (b64.match(/.{1,60}/g) ?? []).join('\n') + (b64 ? '\n' : '');
}

async function treeShaOf(git: GitRepo, rev: string): Promise<string | null> {
  const type = await git.objectType(rev);
  if (type === 'tree') return rev;
  const commit = await git.resolveCommit(rev);
  return commit ? ((await git.readCommit(commit))?.tree ?? null) : null;
}

async function createTree(ctx: Ctx) {
  const { repo, git } = repoFor(ctx, 'contents', 'write');
  const body = bodyObject(ctx);
  if (!Array.isArray(body.tree))
    throw new ForgeHttpError(422, 'Invalid request.\n\n"tree" wasn\'t supplied.');
  const baseTree = optString(body, 'base_tree', 'Tree');
  if (baseTree !== undefined && (await git.objectType(baseTree)) !== 'tree') {
    throw unprocessable('base_tree is not a valid tree oid');
  }
  const edits: TreeEdit[] = [];
  for (const raw of body.tree as Record<string, unknown>[]) {
    const path = reqString(raw, 'path', 'Tree');
    const mode = reqString(raw, 'mode', 'Tree');
    if (!(MODES as readonly string[]).includes(mode)) {
      throw validationFailed(
        [{ resource: 'Tree', field: 'mode', code: 'invalid' }],
        `tree.mode ${mode} is invalid`,
      );
    }
    const type = (optString(raw, 'type', 'Tree') ?? TYPE_OF_MODE[mode]) as TreeEdit['type'];
    if (type !== TYPE_OF_MODE[mode]) throw unprocessable(`tree.type ${type} does not match mode ${mode}`);
    if ('content' in raw && raw.sha !== undefined) {
      throw unprocessable(
        'Must supply either tree.sha or tree.content. Request will be rejected if both are present.',
      );
    }
    if (typeof raw.content === 'string') {
      edits.push({ path, mode, type, sha: await git.writeBlob(Buffer.from(raw.content, 'utf8')) });
    } else if (raw.sha === null) {
      edits.push({ path, mode, type, sha: null });
    } else {
      const sha = reqString(raw, 'sha', 'Tree');
      const actual = await git.objectType(sha);
      if (type !== 'commit' && actual !== type) throw unprocessable(`tree.sha ${sha} is not a valid ${type}`);
      edits.push({ path, mode, type, sha });
    }
  }
  const sha = await buildTree(git, baseTree ?? null, edits);
  return created(treeJson(ctx.core, repo, sha, await git.readTree(sha)));
}

function identity(raw: unknown, fallback: GitIdentity, field: string): GitIdentity {
  if (raw === undefined || raw === null) return fallback;
  if (typeof raw !== 'object') throw validationFailed([{ resource: 'Commit', field, code: 'invalid' }]);
  const o = raw as Record<string, unknown>;
  const name = reqString(o, 'name', 'Commit');
  const email = reqString(o, 'email', 'Commit');
  const date = optString(o, 'date', 'Commit');
  if (date !== undefined && Number.isNaN(Date.parse(date))) {
    throw validationFailed([{ resource: 'Commit', field: `${field}.date`, code: 'invalid' }]);
  }
  return { name, email, date: date ? iso(new Date(date)) : fallback.date };
}

async function createCommit(ctx: Ctx) {
  const { repo, git } = repoFor(ctx, 'contents', 'write');
  const body = bodyObject(ctx);
  const message = reqString(body, 'message', 'Commit');
  const tree = reqString(body, 'tree', 'Commit');
  if ((await git.objectType(tree)) !== 'tree') throw unprocessable('Tree SHA does not exist');
  const parents = (body.parents ?? []) as unknown;
  if (!Array.isArray(parents) || parents.some((p) => typeof p !== 'string')) {
    throw validationFailed([{ resource: 'Commit', field: 'parents', code: 'invalid' }]);
  }
  for (const p of parents as string[]) {
    if ((await git.objectType(p)) !== 'commit')
      throw unprocessable('Parent SHA does not exist or is not a commit object');
  }
  const me = webFlowIdentity(ctx.core, loginOf(ctx));
  const author = identity(body.author, me, 'author');
  const committer = identity(body.committer, author, 'committer');
  const sha = await git.commitTree({ tree, parents: parents as string[], message, author, committer });
  // GitHub signs commits it creates for API callers: they show as Verified.
  ctx.core.store.markVerified(sha);
  ctx.core.store.save();
  return created(gitCommitJson(ctx.core, repo, (await git.readCommit(sha))!));
}

function fullRef(ctx: Ctx): string {
  return `refs/${ctx.params.ref ?? ''}`;
}

async function createRef(ctx: Ctx) {
  const { repo, git } = repoFor(ctx, 'contents', 'write');
  const body = bodyObject(ctx);
  const ref = reqString(body, 'ref', 'Reference');
  const sha = reqString(body, 'sha', 'Reference');
  if (!/^refs\/[^/]+\/.+/.test(ref) || /\.\.|[~^:\\ ]|\/$|\.lock$/.test(ref)) {
    throw unprocessable(`${ref} is not a valid ref name.`);
  }
  const type = isSha(sha) ? await git.objectType(sha) : null;
  if (!type) throw unprocessable('Object does not exist');
  if (await git.refSha(ref)) throw unprocessable('Reference already exists');
  const moved = await ctx.core.lock(repo.id.toString(), () =>
    moveBranch(ctx.core, repo, ref, sha, null, loginOf(ctx)),
  );
  if (!moved) throw unprocessable('Reference already exists');
  return created(refJson(ctx.core, repo, { ref, sha, type }));
}

async function updateRef(ctx: Ctx) {
  const { repo, git } = repoFor(ctx, 'contents', 'write');
  const body = bodyObject(ctx);
  const sha = reqString(body, 'sha', 'Reference');
  const force = optBool(body, 'force', 'Reference') ?? false;
  const ref = fullRef(ctx);
  return ctx.core.lock(repo.id.toString(), async () => {
    const current = await git.refSha(ref);
    if (!current) throw unprocessable('Reference does not exist');
    const type = isSha(sha) ? await git.objectType(sha) : null;
    if (!type) throw unprocessable('Object does not exist');
    if (!force && current !== sha && !(type === 'commit' && (await git.isAncestor(current, sha)))) {
      throw unprocessable('Update is not a fast forward');
    }
    if (current !== sha) await moveBranch(ctx.core, repo, ref, sha, current, loginOf(ctx));
    return ok(refJson(ctx.core, repo, { ref, sha, type }));
  });
}

export function registerGitDataRoutes(r: Router): void {
  r.add('GET', '/repos/{owner}/{repo}/git/ref/{ref+}', async (ctx) => {
    const { repo, git } = repoFor(ctx, 'contents', 'read');
    const ref = fullRef(ctx);
    const found = (await git.refs(ref)).find((x) => x.ref === ref);
    if (!found) throw notFound();
    return ok(refJson(ctx.core, repo, found));
  });
  r.add('GET', '/repos/{owner}/{repo}/git/matching-refs/{ref+}', async (ctx) => {
    const { repo, git } = repoFor(ctx, 'contents', 'read');
    const prefix = fullRef(ctx);
    const refs = (await git.refs()).filter((x) => x.ref.startsWith(prefix));
    return ok(refs.map((x) => refJson(ctx.core, repo, x)));
  });
  r.add('POST', '/repos/{owner}/{repo}/git/refs', createRef);
  r.add('PATCH', '/repos/{owner}/{repo}/git/refs/{ref+}', updateRef);
  r.add('DELETE', '/repos/{owner}/{repo}/git/refs/{ref+}', async (ctx) => {
    const { repo, git } = repoFor(ctx, 'contents', 'write');
    const ref = fullRef(ctx);
    return ctx.core.lock(repo.id.toString(), async () => {
      const current = await git.refSha(ref);
      if (!current) throw unprocessable('Reference does not exist');
      await moveBranch(ctx.core, repo, ref, null, current, loginOf(ctx));
      return noContent;
    });
  });
  r.add('GET', '/repos/{owner}/{repo}/git/trees/{tree_sha+}', async (ctx) => {
    const { repo, git } = repoFor(ctx, 'contents', 'read');
    const sha = await treeShaOf(git, ctx.params.tree_sha ?? '');
    if (!sha) throw notFound();
    const recursive = !!ctx.query.get('recursive') && ctx.query.get('recursive') !== '0';
    return ok(treeJson(ctx.core, repo, sha, await git.readTree(sha, recursive)));
  });
  r.add('POST', '/repos/{owner}/{repo}/git/trees', createTree);
  r.add('GET', '/repos/{owner}/{repo}/git/blobs/{file_sha}', async (ctx) => {
    const { repo, git } = repoFor(ctx, 'contents', 'read');
    const sha = ctx.params.file_sha ?? '';
    const content = await git.readBlob(sha);
    if (!content) throw notFound();
    return ok({
      sha,
      node_id: Buffer.from(`Blob:${repo.id}:${sha}`).toString('base64'),
      size: content.length,
      url: `${ctx.core.apiUrl}/repos/${repo.owner}/${repo.name}/git/blobs/${sha}`,
      content: wrap60(content.toString('base64')),
      encoding: 'base64',
    });
  });
  r.add('POST', '/repos/{owner}/{repo}/git/blobs', async (ctx) => {
    const { repo, git } = repoFor(ctx, 'contents', 'write');
    const body = bodyObject(ctx);
    const content = reqString(body, 'content', 'Blob');
    const encoding = optString(body, 'encoding', 'Blob') ?? 'utf-8';
    if (!['utf-8', 'utf8', 'base64'].includes(encoding)) {
      throw validationFailed([{ resource: 'Blob', field: 'encoding', code: 'invalid' }]);
    }
    const bytes = Buffer.from(content, encoding === 'base64' ? 'base64' : 'utf8');
    const sha = await git.writeBlob(bytes);
    return created({ sha, url: `${ctx.core.apiUrl}/repos/${repo.owner}/${repo.name}/git/blobs/${sha}` });
  });
  r.add('GET', '/repos/{owner}/{repo}/git/commits/{commit_sha}', async (ctx) => {
    const { repo, git } = repoFor(ctx, 'contents', 'read');
    const commit = await git.readCommit(ctx.params.commit_sha ?? '');
    if (!commit) throw notFound();
    return ok(gitCommitJson(ctx.core, repo, commit));
  });
  r.add('POST', '/repos/{owner}/{repo}/git/commits', createCommit);
}
