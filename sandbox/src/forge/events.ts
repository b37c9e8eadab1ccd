/** Webhook payloads shared by several routes: the common envelope and `push` (API ref moves and git pushes). */
import type { ForgeCore } from './core.js';
import { repoKey } from './core.js';
import { diffFiles } from './diff.js';
import { organizationSimple, simpleUser } from './shapes/accounts.js';
import { repository } from './shapes/repo.js';
import type { RepoRec } from './types.js';

const ZERO = '0'.repeat(40);

/** `repository`, `organization` and `sender` plus the event's own fields; delivered to every matching hook. */
export function emitRepoEvent(
  core: ForgeCore,
  repo: RepoRec,
  event: string,
  sender: string,
  fields: Record<string, unknown>,
): void {
  const isOrg = core.store.account(repo.owner)?.type === 'Organization';
  core.webhooks.emit(
    event,
    {
      ...fields,
      repository: repository(core, repo),
      ...(isOrg ? { organization: organizationSimple(core, repo.owner) } : {}),
      sender: simpleUser(core, sender),
    },
    { repoKey: repoKey(repo), owner: repo.owner },
  );
}

/** GitHub lists at most 20 commits in a push payload. */
const PUSH_COMMITS = 20;

export async function emitPush(
  core: ForgeCore,
  repo: RepoRec,
  ref: string,
  before: string | null,
  after: string | null,
  pusher: string,
): Promise<void> {
  const git = core.git(repo);
  const shas = after ? (await git.revList(after, before, { max: PUSH_COMMITS })).reverse() : [];
  const commits = [];
  for (const sha of shas) {
    const c = await git.readCommit(sha);
    if (!c) continue;
    const parent = c.parents[0];
    const files = parent ? await diffFiles(git, parent, sha) : [];
    commits.push({
      id: sha,
      tree_id: c.tree,
      distinct: true,
      message: c.message.replace(/\n$/, ''),
      timestamp: c.committer.date,
      url: `${core.url}/${repo.owner}/${repo.name}/commit/${sha}`,
      author: { name: c.author.name, email: c.author.email },
      committer: { name: c.committer.name, email: c.committer.email },
      added: files.filter((f) => f.status === 'added').map((f) => f.filename),
      removed: files.filter((f) => f.status === 'removed').map((f) => f.filename),
      modified: files.filter((f) => !['added', 'removed'].includes(f.status)).map((f) => f.filename),
    });
  }
  const forced = !!before && !!after && !(await git.isAncestor(before, after));
  const user = core.store.account(pusher);
  emitRepoEvent(core, repo, 'push', pusher, {
    ref,
    before: before ?? ZERO,
    after: after ?? ZERO,
    created: !before,
    deleted: !after,
    forced,
    base_ref: null,
    compare: `${core.url}/${repo.owner}/${repo.name}/compare/${(before ?? ZERO).slice(0, 12)}...${(after ?? ZERO).slice(0, 12)}`,
    commits,
    head_commit: commits[commits.length - 1] ?? null,
    pusher: { name: pusher, email: user?.email || null },
  });
}
