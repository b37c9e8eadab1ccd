/** Issues, comments and labels in GitHub's shapes (pull requests are issues too, with `pull_request`). */
import type { ForgeCore } from '../core.js';
import { nodeId, repoKey } from '../core.js';
import type { CommentRec, IssueRec, LabelRec, RepoRec } from '../types.js';
import { simpleUser } from './accounts.js';
import { api, html } from './git.js';

export function labelJson(core: ForgeCore, repo: RepoRec, label: LabelRec) {
  return {
    id: label.id,
    node_id: nodeId('Label', label.id),
    url: `${api(core, repo)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    description: label.description,
    color: label.color,
    default: label.default,
  };
}

export function labelsOf(core: ForgeCore, repo: RepoRec, names: string[]) {
  const all = core.store.state.labels[repoKey(repo)] ?? [];
  return names.flatMap((n) => {
    const label = all.find((l) => l.name.toLowerCase() === n.toLowerCase());
    return label ? [labelJson(core, repo, label)] : [];
  });
}

/** How the author relates to the repository (GitHub's `author_association`). */
export function association(core: ForgeCore, repo: RepoRec, login: string): string {
  const user = core.store.state.users[login.toLowerCase()];
  if (!user || user.type === 'Bot') return 'NONE';
  return !user.orgs || user.orgs.some((o) => o.toLowerCase() === repo.owner.toLowerCase())
    ? 'MEMBER'
    : 'CONTRIBUTOR';
}

export function issueJson(core: ForgeCore, repo: RepoRec, issue: IssueRec) {
  const a = `${api(core, repo)}/issues/${issue.number}`;
  const comments = (core.store.state.comments[repoKey(repo)] ?? []).filter((c) => c.number === issue.number);
  const kind = issue.pull ? 'pull' : 'issues';
  return {
    id: issue.id,
    node_id: nodeId(issue.pull ? 'PullRequest' : 'Issue', issue.id),
    url: a,
    repository_url: api(core, repo),
    labels_url: `${a}/labels{/name}`,
    comments_url: `${a}/comments`,
    events_url: `${a}/events`,
    html_url: `${html(core, repo)}/${kind}/${issue.number}`,
    number: issue.number,
    state: issue.state,
    state_reason: issue.stateReason,
    title: issue.title,
    body: issue.body,
    user: simpleUser(core, issue.user),
    labels: labelsOf(core, repo, issue.labels),
    assignee: issue.assignees[0] ? simpleUser(core, issue.assignees[0]) : null,
    assignees: issue.assignees.map((l) => simpleUser(core, l)),
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: comments.length,
    ...(issue.pull
      ? {
          pull_request: {
            url: `${api(core, repo)}/pulls/${issue.number}`,
            html_url: `${html(core, repo)}/pull/${issue.number}`,
            diff_url: `${html(core, repo)}/pull/${issue.number}.diff`,
            patch_url: `${html(core, repo)}/pull/${issue.number}.patch`,
            merged_at: issue.pull.mergedAt,
          },
          draft: issue.pull.draft,
        }
      : {}),
    closed_at: issue.closedAt,
    created_at: issue.createdAt,
    updated_at: issue.updatedAt,
    closed_by: null,
    timeline_url: `${a}/timeline`,
    author_association: association(core, repo, issue.user),
    reactions: {
      url: `${a}/reactions`,
      total_count: 0,
      '+1': 0,
      '-1': 0,
      laugh: 0,
      hooray: 0,
      confused: 0,
      heart: 0,
      rocket: 0,
      eyes: 0,
    },
  };
}

export function commentJson(core: ForgeCore, repo: RepoRec, c: CommentRec) {
  const kind = core.store.state.issues[repoKey(repo)]?.find((i) => i.number === c.number)?.pull
    ? 'pull'
    : 'issues';
  return {
    id: c.id,
    node_id: nodeId('IssueComment', c.id),
    url: `${api(core, repo)}/issues/comments/${c.id}`,
    html_url: `${html(core, repo)}/${kind}/${c.number}#issuecomment-${c.id}`,
    issue_url: `${api(core, repo)}/issues/${c.number}`,
    body: c.body,
    user: simpleUser(core, c.user),
    created_at: c.createdAt,
    updated_at: c.updatedAt,
    author_association: association(core, repo, c.user),
  };
}
