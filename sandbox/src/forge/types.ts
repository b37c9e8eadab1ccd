/**
 * The forge's persisted state: plain JSON records (no git data — that lives in the bare repositories).
 * Everything a restart must keep is here; `store.ts` loads and saves it atomically.
 */

export type Permission = 'read' | 'write';
/** GitHub App permission names we enforce (a subset of GitHub's `app-permissions`). */
export type PermissionName =
  | 'contents'
  | 'pull_requests'
  | 'issues'
  | 'metadata'
  | 'checks'
  | 'statuses'
  | 'actions'
  | 'secrets'
  | 'workflows'
  | 'administration'
  | 'organization_hooks'
  | 'repository_hooks'
  | 'organization_secrets'
  | 'environments'
  | 'members';
export type Permissions = Partial<Record<PermissionName, Permission>>;

export interface UserRec {
  id: number;
  login: string;
  type: 'User' | 'Bot' | 'Organization';
  name: string;
  email: string;
  createdAt: string;
  /** Orgs this user may act in; undefined = every org (a sandbox convenience). */
  orgs?: string[];
}

export interface OrgRec {
  id: number;
  login: string;
  createdAt: string;
}

export interface TeamRec {
  id: number;
  org: string;
  slug: string;
  name: string;
  members: string[];
}

export interface RepoRec {
  id: number;
  owner: string;
  name: string;
  private: boolean;
  description: string | null;
  defaultBranch: string;
  allowAutoMerge: boolean;
  allowSquashMerge: boolean;
  allowMergeCommit: boolean;
  allowRebaseMerge: boolean;
  deleteBranchOnMerge: boolean;
  createdAt: string;
  updatedAt: string;
  pushedAt: string;
  /** Issues and pull requests share one number sequence, like GitHub. */
  nextNumber: number;
}

export interface AppRec {
  id: number;
  slug: string;
  name: string;
  clientId: string;
  owner: string;
  privateKeyPem: string;
  publicKeyPem: string;
  createdAt: string;
  webhook: { url: string; secret: string; contentType: 'json' | 'form'; active: boolean };
}

export interface InstallationRec {
  id: number;
  /** The App installed; absent for the first App (`ForgeState.app`). */
  appId?: number;
  account: string;
  selection: 'all' | 'selected';
  repositories: string[];
  permissions: Permissions;
  events: string[];
  createdAt: string;
}

export type TokenRec =
  | {
      kind: 'installation';
      installationId: number;
      expiresAt: string;
      /** Narrowed at mint time (`repositories` / `permissions` in the request body). */
      repositories?: string[];
      permissions: Permissions;
    }
  | { kind: 'user'; login: string };

export interface PullRec {
  headRef: string;
  headRepo: string;
  /** Last known head SHA; frozen once the PR is merged or closed and its branch deleted. */
  headSha: string;
  baseRef: string;
  /** Base branch head when the PR was merged or closed (keeps files/commits stable afterwards). */
  baseSha?: string;
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  maintainerCanModify: boolean;
  requestedReviewers: string[];
  requestedTeams: string[];
}

export interface IssueRec {
  id: number;
  number: number;
  title: string;
  body: string | null;
  user: string;
  state: 'open' | 'closed';
  stateReason: string | null;
  labels: string[];
  assignees: string[];
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  pull?: PullRec;
}

export interface CommentRec {
  id: number;
  number: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export interface LabelRec {
  id: number;
  name: string;
  color: string;
  description: string | null;
  default: boolean;
}

export interface ReviewRec {
  id: number;
  number: number;
  user: string;
  body: string;
  state: 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'PENDING' | 'DISMISSED';
  commitId: string;
  submittedAt: string | null;
}

export interface CheckRunRec {
  id: number;
  suiteId: number;
  headSha: string;
  name: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion: string | null;
  startedAt: string | null;
  completedAt: string | null;
  externalId: string | null;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotationsCount: number };
  appId: number | null;
}

export interface StatusRec {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  description: string | null;
  targetUrl: string | null;
  context: string;
  creator: string;
  createdAt: string;
  updatedAt: string;
}

export interface SecretKeyRec {
  keyId: string;
  publicKey: string;
  secretKey: string;
}

export interface SecretRec {
  name: string;
  encryptedValue: string;
  keyId: string;
  createdAt: string;
  updatedAt: string;
  visibility?: 'all' | 'private' | 'selected';
  selectedRepositoryIds?: number[];
}

export interface HookRec {
  id: number;
  /** 'repo:owner/name' or 'org:login'. */
  scope: string;
  active: boolean;
  events: string[];
  config: { url: string; contentType: 'json' | 'form'; secret: string; insecureSsl: '0' | '1' };
  createdAt: string;
  updatedAt: string;
  lastResponse: { code: number | null; status: string; message: string | null };
}

export interface WorkflowRec {
  id: number;
  path: string;
  state: 'active' | 'disabled_manually';
  createdAt: string;
  updatedAt: string;
}

export interface RunRec {
  id: number;
  repo: string;
  workflowId: number;
  path: string;
  name: string;
  event: string;
  status: 'queued' | 'in_progress' | 'completed' | 'requested' | 'waiting' | 'pending';
  conclusion: string | null;
  headBranch: string;
  headSha: string;
  runNumber: number;
  actor: string;
  displayTitle: string;
  createdAt: string;
  updatedAt: string;
  inputs?: Record<string, unknown>;
}

export interface DispatchRec {
  id: number;
  kind: 'repository_dispatch' | 'workflow_dispatch';
  repo: string;
  eventType: string;
  clientPayload: Record<string, unknown>;
  ref?: string;
  workflow?: string;
  actor: string;
  at: string;
  runIds: number[];
}

export interface RulesetRec {
  id: number;
  repo: string;
  name: string;
  target: 'branch' | 'tag' | 'push';
  enforcement: 'disabled' | 'active' | 'evaluate';
  conditions: Record<string, unknown> | null;
  rules: { type: string; parameters?: Record<string, unknown> }[];
  bypassActors: unknown[];
  createdAt: string;
  updatedAt: string;
}

export interface ForgeState {
  version: 1;
  nextId: number;
  app: AppRec | null;
  /** Apps registered after the first one (see apps.ts). */
  extraApps?: AppRec[];
  users: Record<string, UserRec>;
  orgs: Record<string, OrgRec>;
  teams: TeamRec[];
  repos: Record<string, RepoRec>;
  installations: InstallationRec[];
  tokens: Record<string, TokenRec>;
  issues: Record<string, IssueRec[]>;
  comments: Record<string, CommentRec[]>;
  labels: Record<string, LabelRec[]>;
  reviews: Record<string, ReviewRec[]>;
  checkRuns: Record<string, CheckRunRec[]>;
  statuses: Record<string, StatusRec[]>;
  secretKeys: Record<string, SecretKeyRec>;
  secrets: Record<string, SecretRec[]>;
  hooks: HookRec[];
  workflows: Record<string, WorkflowRec[]>;
  runs: RunRec[];
  dispatches: DispatchRec[];
  rulesets: RulesetRec[];
  /** Commits GitHub itself created (Git Data API, contents API, merges): these show as verified. */
  verifiedCommits: string[];
  oidcKey: { privateJwk: Record<string, unknown>; kid: string } | null;
}
