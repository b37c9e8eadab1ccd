/** Users, organizations, the App and its installations in GitHub's REST shapes. */
import type { ForgeCore } from '../core.js';
import { iso, nodeId } from '../core.js';
import type { AppRec, InstallationRec, UserRec } from '../types.js';
import { appOf, installedBy } from '../apps.js';

export const DEFAULT_APP_PERMISSIONS = {
  actions: 'write',
  administration: 'write',
  checks: 'write',
  contents: 'write',
  environments: 'write',
  issues: 'write',
  members: 'read',
  metadata: 'read',
  organization_hooks: 'write',
  organization_secrets: 'write',
  pull_requests: 'write',
  repository_hooks: 'write',
  secrets: 'write',
  statuses: 'write',
  workflows: 'write',
} as const;

export const APP_EVENTS = [
  'check_run',
  'check_suite',
  'issues',
  'issue_comment',
  'pull_request',
  'pull_request_review',
  'push',
  'repository_dispatch',
  'workflow_run',
];

function ghost(login: string): UserRec {
  return { id: 10137, login, type: 'User', name: login, email: '', createdAt: iso(new Date(0)) };
}

export function simpleUser(core: ForgeCore, login: string): Record<string, unknown> {
  const user = core.store.account(login) ?? ghost(login);
  // Bot logins carry brackets ("slug[bot]"), which GitHub percent-encodes in URLs.
  const path = encodeURIComponent(user.login);
  const api = `${core.apiUrl}/${user.type === 'Organization' ? 'orgs' : 'users'}/${path}`;
  const users = `${core.apiUrl}/users/${path}`;
  return {
    login: user.login,
    id: user.id,
    node_id: nodeId(user.type === 'Organization' ? 'Organization' : user.type, user.id),
    avatar_url: `${core.url}/avatars/u/${user.id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `${core.url}/${user.type === 'Bot' ? `apps/${user.login.replace(/\[bot\]$/, '')}` : user.login}`,
    followers_url: `${users}/followers`,
    following_url: `${users}/following{/other_user}`,
    gists_url: `${users}/gists{/gist_id}`,
    starred_url: `${users}/starred{/owner}{/repo}`,
    subscriptions_url: `${users}/subscriptions`,
    organizations_url: `${users}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${users}/events{/privacy}`,
    received_events_url: `${users}/received_events`,
    type: user.type,
    user_view_type: 'public',
    site_admin: false,
  };
}

/** `GET /users/{username}` and `GET /user`: the public profile fields on top of simple-user. */
export function publicUser(core: ForgeCore, user: UserRec): Record<string, unknown> {
  const repos = Object.values(core.store.state.repos).filter((r) => r.owner === user.login && !r.private);
  return {
    ...simpleUser(core, user.login),
    name: user.name,
    company: null,
    blog: '',
    location: null,
    email: user.email || null,
    hireable: null,
    bio: null,
    twitter_username: null,
    public_repos: repos.length,
    public_gists: 0,
    followers: 0,
    following: 0,
    created_at: user.createdAt,
    updated_at: user.createdAt,
  };
}

export function organizationSimple(core: ForgeCore, login: string): Record<string, unknown> {
  const org = core.store.account(login) ?? ghost(login);
  const api = `${core.apiUrl}/orgs/${org.login}`;
  return {
    login: org.login,
    id: org.id,
    node_id: nodeId('Organization', org.id),
    url: api,
    repos_url: `${api}/repos`,
    events_url: `${api}/events`,
    hooks_url: `${api}/hooks`,
    issues_url: `${api}/issues`,
    members_url: `${api}/members{/member}`,
    public_members_url: `${api}/public_members{/member}`,
    avatar_url: `${core.url}/avatars/u/${org.id}?v=4`,
    description: null,
  };
}

export function appJson(core: ForgeCore, app: AppRec): Record<string, unknown> {
  return {
    id: app.id,
    slug: app.slug,
    node_id: nodeId('App', app.id),
    client_id: app.clientId,
    owner: simpleUser(core, app.owner),
    name: app.name,
    description: 'autocode sandbox GitHub App',
    external_url: `${core.url}/apps/${app.slug}`,
    html_url: `${core.url}/apps/${app.slug}`,
    created_at: app.createdAt,
    updated_at: app.createdAt,
    permissions: DEFAULT_APP_PERMISSIONS,
    events: APP_EVENTS,
    installations_count: core.store.state.installations.filter((i) => installedBy(core.store.state, i, app))
      .length,
  };
}

export function installationJson(core: ForgeCore, inst: InstallationRec): Record<string, unknown> {
  const app = appOf(core.store.state, inst);
  const account = core.store.account(inst.account);
  return {
    id: inst.id,
    client_id: app?.clientId,
    // GitHub's description of GET /app/installations types `account` as simple-user *and* enterprise (allOf),
    // so the account also carries the enterprise fields (name, slug, timestamps).
    account: {
      ...simpleUser(core, inst.account),
      name: account?.name ?? inst.account,
      slug: inst.account.toLowerCase(),
      created_at: account?.createdAt ?? inst.createdAt,
      updated_at: account?.createdAt ?? inst.createdAt,
    },
    repository_selection: inst.selection,
    access_tokens_url: `${core.apiUrl}/app/installations/${inst.id}/access_tokens`,
    repositories_url: `${core.apiUrl}/installation/repositories`,
    html_url: `${core.url}/organizations/${inst.account}/settings/installations/${inst.id}`,
    app_id: app?.id ?? 0,
    app_slug: app?.slug ?? '',
    target_id: account?.id ?? 0,
    target_type: account?.type === 'Organization' ? 'Organization' : 'User',
    permissions: inst.permissions,
    events: inst.events,
    created_at: inst.createdAt,
    updated_at: inst.createdAt,
    single_file_name: null,
    has_multiple_single_files: false,
    single_file_paths: [],
    suspended_by: null,
    suspended_at: null,
  };
}

export function teamSimple(core: ForgeCore, team: { id: number; org: string; slug: string; name: string }) {
  const api = `${core.apiUrl}/organizations/${core.store.account(team.org)?.id ?? 0}/team/${team.id}`;
  return {
    id: team.id,
    node_id: nodeId('Team', team.id),
    url: api,
    html_url: `${core.url}/orgs/${team.org}/teams/${team.slug}`,
    name: team.name,
    slug: team.slug,
    description: null,
    privacy: 'closed',
    notification_setting: 'notifications_enabled',
    permission: 'pull',
    members_url: `${api}/members{/member}`,
    repositories_url: `${api}/repos`,
    type: 'organization',
    parent: null,
  };
}
