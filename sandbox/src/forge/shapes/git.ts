/** Git Data API objects (refs, trees, blobs, commits) and the REST `commit` in GitHub's shapes. */
import type { ForgeCore } from '../core.js';
import { iso, nodeId } from '../core.js';
import type { FileDiff } from '../diff.js';
import type { CommitObject, TreeEntry } from '../git.js';
import type { RepoRec } from '../types.js';
import { simpleUser } from './accounts.js';

export function api(core: ForgeCore, repo: RepoRec): string {
  return `${core.apiUrl}/repos/${repo.owner}/${repo.name}`;
}

export function html(core: ForgeCore, repo: RepoRec): string {
  return `${core.url}/${repo.owner}/${repo.name}`;
}

export function refJson(core: ForgeCore, repo: RepoRec, ref: { ref: string; sha: string; type: string }) {
  return {
    ref: ref.ref,
    node_id: nodeId('Ref', `${repo.id}:${ref.ref}`),
    url: `${api(core, repo)}/git/${ref.ref}`,
    object: { type: ref.type, sha: ref.sha, url: `${api(core, repo)}/git/${ref.type}s/${ref.sha}` },
  };
}

export function treeJson(core: ForgeCore, repo: RepoRec, sha: string, entries: TreeEntry[]) {
  return {
    sha,
    url: `${api(core, repo)}/git/trees/${sha}`,
    tree: entries.map((e) => ({
      path: e.path,
      mode: e.mode,
      type: e.type,
      sha: e.sha,
      ...(e.size !== undefined ? { size: e.size } : {}),
      ...(e.type === 'commit' ? {} : { url: `${api(core, repo)}/git/${e.type}s/${e.sha}` }),
    })),
    truncated: false,
  };
}

export function verification(core: ForgeCore, commit: CommitObject) {
  if (core.store.isVerified(commit.sha)) {
    return {
      verified: true,
      reason: 'valid',
      signature: null,
      payload: null,
      verified_at: commit.committer.date,
    };
  }
  return {
    verified: false,
    reason: commit.gpgsig ? 'unknown_key' : 'unsigned',
    signature: null,
    payload: null,
    verified_at: null,
  };
}

/** `git-commit` (Git Data API). */
export function gitCommitJson(core: ForgeCore, repo: RepoRec, c: CommitObject) {
  return {
    sha: c.sha,
    node_id: nodeId('Commit', c.sha),
    url: `${api(core, repo)}/git/commits/${c.sha}`,
    html_url: `${html(core, repo)}/commit/${c.sha}`,
    author: c.author,
    committer: c.committer,
    tree: { sha: c.tree, url: `${api(core, repo)}/git/trees/${c.tree}` },
    message: c.message.replace(/\n$/, ''),
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${api(core, repo)}/git/commits/${p}`,
      html_url: `${html(core, repo)}/commit/${p}`,
    })),
    verification: verification(core, c),
  };
}

/** The GitHub account a git identity maps to (by email), or null like GitHub for unknown emails. */
function accountFor(core: ForgeCore, email: string): Record<string, unknown> | null {
  const lower = email.toLowerCase();
  const user = Object.values(core.store.state.users).find((u) => u.email.toLowerCase() === lower);
  return user ? simpleUser(core, user.login) : null;
}

export function diffEntryJson(core: ForgeCore, repo: RepoRec, headSha: string, f: FileDiff) {
  const path = encodeURI(f.filename);
  return {
    sha: f.sha,
    filename: f.filename,
    status: f.status,
    additions: f.additions,
    deletions: f.deletions,
    changes: f.additions + f.deletions,
    blob_url: `${html(core, repo)}/blob/${headSha}/${path}`,
    raw_url: `${html(core, repo)}/raw/${headSha}/${path}`,
    contents_url: `${api(core, repo)}/contents/${path}?ref=${headSha}`,
    ...(f.patch !== undefined ? { patch: f.patch } : {}),
    ...(f.previousFilename ? { previous_filename: f.previousFilename } : {}),
  };
}

/** `commit` (REST commits API, compare, pulls/commits); pass `files` for the single-commit view. */
export function commitJson(core: ForgeCore, repo: RepoRec, c: CommitObject, files?: FileDiff[]) {
  const base = {
    url: `${api(core, repo)}/commits/${c.sha}`,
    sha: c.sha,
    node_id: nodeId('Commit', c.sha),
    html_url: `${html(core, repo)}/commit/${c.sha}`,
    comments_url: `${api(core, repo)}/commits/${c.sha}/comments`,
    commit: {
      url: `${api(core, repo)}/git/commits/${c.sha}`,
      author: c.author,
      committer: c.committer,
      message: c.message.replace(/\n$/, ''),
      comment_count: 0,
      tree: { sha: c.tree, url: `${api(core, repo)}/git/trees/${c.tree}` },
      verification: verification(core, c),
    },
    author: accountFor(core, c.author.email),
    committer: accountFor(core, c.committer.email),
    parents: c.parents.map((p) => ({
      sha: p,
      url: `${api(core, repo)}/commits/${p}`,
      html_url: `${html(core, repo)}/commit/${p}`,
    })),
  };
  if (!files) return base;
  const additions = files.reduce((n, f) => n + f.additions, 0);
  const deletions = files.reduce((n, f) => n + f.deletions, 0);
  return {
    ...base,
    stats: { additions, deletions, total: additions + deletions },
    files: files.map((f) => diffEntryJson(core, repo, c.sha, f)),
  };
}

/** The identity GitHub uses for commits it writes on behalf of an actor. */
export function webFlowIdentity(
  core: ForgeCore,
  login: string,
): { name: string; email: string; date: string } {
  const user = core.store.account(login);
  const email = user?.email || `${user?.id ?? 0}+${login}@users.noreply.github.com`;
  return { name: user?.name || login, email, date: iso(core.now()) };
}
