/** Contents API: read a file or directory at a ref, create/update (PUT) and delete files as verified commits. */
import { commitOnBranch } from '../commit-on-branch.js';
import type { GitIdentity, GitRepo, TreeEntry } from '../git.js';
import { ForgeHttpError, notFound } from '../http-errors.js';
import type { Ctx, Router } from '../router.js';
import { bodyObject, optString, reqString } from '../body.js';
import { ok } from '../router.js';
import { gitCommitJson, webFlowIdentity } from '../shapes/git.js';
import type { RepoRec } from '../types.js';
import { loginOf, repoFor } from './common.js';

const KIND: Record<string, string> = { tree: 'dir', commit: 'submodule' };

function entryJson(ctx: Ctx, repo: RepoRec, ref: string, e: TreeEntry, path: string) {
  const a = `${ctx.core.apiUrl}/repos/${repo.owner}/${repo.name}`;
  const h = `${ctx.core.url}/${repo.owner}/${repo.name}`;
  const type = KIND[e.type] ?? (e.mode === '120000' ? 'symlink' : 'file');
  const self = `${a}/contents/${encodeURI(path)}?ref=${encodeURIComponent(ref)}`;
  const git = `${a}/git/${e.type === 'tree' ? 'trees' : 'blobs'}/${e.sha}`;
  const page = `${h}/${e.type === 'tree' ? 'tree' : 'blob'}/${encodeURIComponent(ref)}/${encodeURI(path)}`;
  return {
    type,
    size: e.size ?? 0,
    name: path.split('/').pop() ?? path,
    path,
    sha: e.sha,
    url: self,
    git_url: git,
    html_url: page,
    download_url: type === 'file' ? `${h}/raw/${encodeURIComponent(ref)}/${encodeURI(path)}` : null,
    _links: { self, git, html: page },
  };
}

/** Look up one path in a commit's tree (null when absent). */
async function lookup(git: GitRepo, commit: string, path: string): Promise<TreeEntry | null> {
  const tree = (await git.readCommit(commit))?.tree;
  if (!tree) return null;
  if (!path) return { mode: '040000', type: 'tree', sha: tree, path: '' };
  const out = await git.run(['ls-tree', '-l', '-z', commit, '--', path]);
  const line = out.stdout.toString('utf8').split('\0')[0];
  if (!line) return null;
  const tab = line.indexOf('\t');
  if (line.slice(tab + 1) !== path) return null;
  const [mode = '', type = 'blob', sha = '', size = '-'] = line.slice(0, tab).split(/\s+/);
  return {
    mode,
    type: type as TreeEntry['type'],
    sha,
    path,
    ...(size !== '-' ? { size: Number(size) } : {}),
  };
}

async function getContents(ctx: Ctx) {
  const { repo, git } = repoFor(ctx, 'contents', 'read');
  const ref = ctx.query.get('ref') ?? repo.defaultBranch;
  const path = (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
  const commit = await git.resolveCommit(ref);
  if (!commit) throw new ForgeHttpError(404, `No commit found for the ref ${ref}`);
  const entry = await lookup(git, commit, path);
  if (!entry) throw notFound();
  if (entry.type === 'tree') {
    const children = await git.readTree(entry.sha);
    return ok(children.map((c) => entryJson(ctx, repo, ref, c, path ? `${path}/${c.path}` : c.path)));
  }
  const base = entryJson(ctx, repo, ref, entry, path);
  if (entry.type === 'commit') return ok({ ...base, submodule_git_url: '' });
  const bytes = (await git.readBlob(entry.sha)) ?? Buffer.alloc(0);
  if (entry.mode === '120000') return ok({ ...base, target: bytes.toString('utf8') });
  const b64 = bytes.toString('base64');
  return ok({
    ...base,
    content: (b64.match(/.{1,60}/g) ?? []).join('\n') + (b64 ? '\n' : ''),
    encoding: 'base64',
  });
}

function person(raw: unknown, fallback: GitIdentity): GitIdentity {
  if (!raw || typeof raw !== 'object') return fallback;
  const o = raw as Record<string, unknown>;
  return {
    name: reqString(o, 'name', 'Commit'),
    email: reqString(o, 'email', 'Commit'),
    date: optString(o, 'date', 'Commit') ?? fallback.date,
  };
}

async function writeContents(ctx: Ctx, remove: boolean) {
  const { repo, git } = repoFor(ctx, 'contents', 'write');
  const body = bodyObject(ctx);
  const path = (ctx.params.path ?? '').replace(/^\/+|\/+$/g, '');
  const message = reqString(body, 'message', 'Commit');
  const content = remove ? '' : reqString(body, 'content', 'Commit');
  const sha = remove ? reqString(body, 'sha', 'Commit') : optString(body, 'sha', 'Commit');
  const branch = optString(body, 'branch', 'Commit') ?? repo.defaultBranch;
  const head = await git.refSha(`refs/heads/${branch}`);
  const hasBranches = (await git.refs('refs/heads/')).length > 0;
  if (!head && (hasBranches || remove)) throw new ForgeHttpError(404, `Branch ${branch} not found`);
  const existing = head ? await lookup(git, head, path) : null;
  if (remove && !existing) throw notFound();
  if (existing && existing.type !== 'blob') throw new ForgeHttpError(422, `${path} is a directory`);
  if (existing && sha === undefined)
    throw new ForgeHttpError(422, 'Invalid request.\n\n"sha" wasn\'t supplied.');
  if (existing && sha !== existing.sha) throw new ForgeHttpError(409, `${path} does not match ${sha}`);
  const me = webFlowIdentity(ctx.core, loginOf(ctx));
  const author = person(body.author, person(body.committer, me));
  const committer = person(body.committer, author);
  const blob = remove ? null : await git.writeBlob(Buffer.from(content, 'base64'));
  const result = await commitOnBranch(ctx.core, repo, {
    branch,
    message,
    author,
    committer,
    pusher: loginOf(ctx),
    edits: [{ path, mode: existing?.mode ?? '100644', type: 'blob', sha: blob }],
    ...(head ? { expectHead: head } : {}),
  });
  const commit = gitCommitJson(ctx.core, repo, (await git.readCommit(result.sha))!);
  if (remove) return ok({ content: null, commit });
  const entry = (await lookup(git, result.sha, path))!;
  const file = entryJson(ctx, repo, branch, entry, path);
  return { status: existing ? 200 : 201, body: { content: file, commit } };
}

export function registerContentsRoutes(r: Router): void {
  // Octokit sends the root listing (path '') without the trailing slash.
  r.add('GET', '/repos/{owner}/{repo}/contents', getContents);
  r.add('GET', '/repos/{owner}/{repo}/contents/{path*}', getContents);
  r.add('PUT', '/repos/{owner}/{repo}/contents/{path+}', (ctx) => writeContents(ctx, false));
  r.add('DELETE', '/repos/{owner}/{repo}/contents/{path+}', (ctx) => writeContents(ctx, true));
}
