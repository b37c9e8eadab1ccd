/** Repositories in GitHub's `repository` / `full-repository` / `minimal-repository` shapes. */
import type { ForgeCore } from '../core.js';
import { nodeId } from '../core.js';
import type { RepoRec } from '../types.js';
import { simpleUser } from './accounts.js';

export interface RepoPermissions {
  admin: boolean;
  maintain: boolean;
  push: boolean;
  triage: boolean;
  pull: boolean;
}

export const FULL_ACCESS: RepoPermissions = {
  admin: true,
  maintain: true,
  push: true,
  triage: true,
  pull: true,
};

/** The URL templates every repository object carries. */
function repoUrls(core: ForgeCore, repo: RepoRec): Record<string, string> {
  const api = `${core.apiUrl}/repos/${repo.owner}/${repo.name}`;
  const html = `${core.url}/${repo.owner}/${repo.name}`;
  return {
    html_url: html,
    url: api,
    archive_url: `${api}/{archive_format}{/ref}`,
    assignees_url: `${api}/assignees{/user}`,
    blobs_url: `${api}/git/blobs{/sha}`,
    branches_url: `${api}/branches{/branch}`,
    collaborators_url: `${api}/collaborators{/collaborator}`,
    comments_url: `${api}/comments{/number}`,
    commits_url: `${api}/commits{/sha}`,
    compare_url: `${api}/compare/{base}...{head}`,
    contents_url: `${api}/contents/{+path}`,
    contributors_url: `${api}/contributors`,
    deployments_url: `${api}/deployments`,
    downloads_url: `${api}/downloads`,
    events_url: `${api}/events`,
    forks_url: `${api}/forks`,
    git_commits_url: `${api}/git/commits{/sha}`,
    git_refs_url: `${api}/git/refs{/sha}`,
    git_tags_url: `${api}/git/tags{/sha}`,
    hooks_url: `${api}/hooks`,
    issue_comment_url: `${api}/issues/comments{/number}`,
    issue_events_url: `${api}/issues/events{/number}`,
    issues_url: `${api}/issues{/number}`,
    keys_url: `${api}/keys{/key_id}`,
    labels_url: `${api}/labels{/name}`,
    languages_url: `${api}/languages`,
    merges_url: `${api}/merges`,
    milestones_url: `${api}/milestones{/number}`,
    notifications_url: `${api}/notifications{?since,all,participating}`,
    pulls_url: `${api}/pulls{/number}`,
    releases_url: `${api}/releases{/id}`,
    stargazers_url: `${api}/stargazers`,
    statuses_url: `${api}/statuses/{sha}`,
    subscribers_url: `${api}/subscribers`,
    subscription_url: `${api}/subscription`,
    tags_url: `${api}/tags`,
    teams_url: `${api}/teams`,
    trees_url: `${api}/git/trees{/sha}`,
  };
}

function openIssues(core: ForgeCore, repo: RepoRec): number {
  const key = `${repo.owner}/${repo.name}`.toLowerCase();
  return (core.store.state.issues[key] ?? []).filter((i) => i.state === 'open').length;
}

/** `minimal-repository` (org repo lists, installation repositories). */
export function minimalRepo(core: ForgeCore, repo: RepoRec, permissions?: RepoPermissions) {
  const open = openIssues(core, repo);
  return {
    id: repo.id,
    node_id: nodeId('Repository', repo.id),
    name: repo.name,
    full_name: `${repo.owner}/${repo.name}`,
    owner: simpleUser(core, repo.owner),
    private: repo.private,
    description: repo.description,
    fork: false,
    ...repoUrls(core, repo),
    git_url: `${core.url.replace(/^http/, 'git')}/${repo.owner}/${repo.name}.git`,
    ssh_url: `git@${new URL(core.url).host}:${repo.owner}/${repo.name}.git`,
    clone_url: `${core.url}/${repo.owner}/${repo.name}.git`,
    svn_url: `${core.url}/${repo.owner}/${repo.name}`,
    mirror_url: null,
    homepage: null,
    language: null,
    forks_count: 0,
    forks: 0,
    stargazers_count: 0,
    watchers_count: 0,
    watchers: 0,
    size: 0,
    default_branch: repo.defaultBranch,
    open_issues_count: open,
    open_issues: open,
    is_template: false,
    topics: [],
    has_issues: true,
    has_projects: true,
    has_wiki: true,
    has_pages: false,
    has_downloads: true,
    has_discussions: false,
    archived: false,
    disabled: false,
    visibility: repo.private ? 'private' : 'public',
    pushed_at: repo.pushedAt,
    created_at: repo.createdAt,
    updated_at: repo.updatedAt,
    license: null,
    allow_forking: !repo.private,
    web_commit_signoff_required: false,
    ...(permissions ? { permissions } : {}),
  };
}

/** `repository` (pull request head/base, webhooks). */
export function repository(core: ForgeCore, repo: RepoRec, permissions?: RepoPermissions) {
  return {
    ...minimalRepo(core, repo, permissions),
    allow_rebase_merge: repo.allowRebaseMerge,
    allow_squash_merge: repo.allowSquashMerge,
    allow_merge_commit: repo.allowMergeCommit,
    allow_auto_merge: repo.allowAutoMerge,
    delete_branch_on_merge: repo.deleteBranchOnMerge,
    allow_update_branch: false,
    use_squash_pr_title_as_default: false,
    squash_merge_commit_title: 'COMMIT_OR_PR_TITLE',
    squash_merge_commit_message: 'COMMIT_MESSAGES',
    merge_commit_title: 'MERGE_MESSAGE',
    merge_commit_message: 'PR_TITLE',
  };
}

/** `full-repository` (`GET /repos/{owner}/{repo}`). */
export async function fullRepository(core: ForgeCore, repo: RepoRec, permissions?: RepoPermissions) {
  const account = core.store.account(repo.owner);
  return {
    ...repository(core, repo, permissions),
    size: await core.git(repo).sizeKb(),
    temp_clone_token: null,
    network_count: 0,
    subscribers_count: 0,
    ...(account?.type === 'Organization' ? { organization: simpleUser(core, repo.owner) } : {}),
  };
}
