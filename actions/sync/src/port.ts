/**
 * What the sync needs from one target repository, as plain data. `github-port.ts` implements it over the
 * toolkit's Octokit (and the rate budget); tests can implement it in memory. Reads never count against the
 * content-creation budget; every method under "writes" does.
 */
import type { TreeEntry } from './types.js';

export interface RepoInfo {
  defaultBranch: string;
  allowAutoMerge: boolean;
  archived: boolean;
  /** The installation/token may push. */
  canPush: boolean;
}

export interface CommitInfo {
  sha: string;
  tree: string;
  message: string;
  verified: boolean;
  parents: string[];
}

export interface PullInfo {
  number: number;
  url: string;
  nodeId: string;
  state: 'open' | 'closed';
  merged: boolean;
  mergeCommitSha: string | null;
  title: string;
  body: string;
  headSha: string;
  baseRef: string;
  labels: string[];
  draft: boolean;
  /** The base repository as the PR listing reports it (saves a `GET /repos` when a sync PR exists). */
  repo?: RepoInfo;
}

export interface IssueInfo {
  number: number;
  url: string;
  title: string;
  body: string;
  state: 'open' | 'closed';
}

/** A tree entry to write: inline text, an existing blob, or a deletion (`sha: null`). */
export type TreeWrite =
  { path: string; mode: string; content: string } | { path: string; mode: string; sha: string | null };

export interface TreeListing {
  sha: string;
  entries: TreeEntry[];
  truncated: boolean;
}

export interface TargetPort {
  readonly repo: string;
  getRepo(): Promise<RepoInfo>;
  /** Head commit of a branch, undefined when it does not exist. */
  getBranchSha(branch: string): Promise<string | undefined>;
  getTree(commitOrTree: string): Promise<TreeListing>;
  getBlob(sha: string): Promise<Uint8Array>;
  getCommit(sha: string): Promise<CommitInfo>;
  /** Pull requests whose head is `branch` in this repository, newest first (open and closed). */
  listPulls(branch: string): Promise<PullInfo[]>;
  /** The open issue carrying `marker` in its body, among issues labelled `label`. */
  findIssue(label: string, marker: string): Promise<IssueInfo | undefined>;
  /** How many commits `head` has that `base` does not (GET /compare). */
  aheadBy(base: string, head: string): Promise<number>;
  /** A file's bytes at a commit, undefined when absent. */
  readFileAt(ref: string, path: string): Promise<Uint8Array | undefined>;
  /** Commits on `ref` that touched `path`, newest first. */
  commitsTouching(ref: string, path: string, limit: number): Promise<string[]>;

  // writes (content-creating: each takes one budget slot)
  createBlob(content: Uint8Array): Promise<string>;
  createTree(baseTree: string, entries: TreeWrite[]): Promise<string>;
  createCommit(input: { message: string; tree: string; parents: string[] }): Promise<CommitInfo>;
  createBranch(branch: string, sha: string): Promise<void>;
  /** Move a branch; `force` only after the caller checked the head is its own commit. */
  updateBranch(branch: string, sha: string, force: boolean): Promise<void>;
  deleteBranch(branch: string): Promise<void>;
  createPull(input: {
    title: string;
    body: string;
    head: string;
    base: string;
    draft: boolean;
  }): Promise<PullInfo>;
  updatePull(
    number: number,
    patch: { title?: string; body?: string; state?: 'open' | 'closed' },
  ): Promise<void>;
  addLabels(number: number, labels: string[]): Promise<void>;
  requestReviewers(number: number, users: string[], teams: string[]): Promise<void>;
  createIssue(input: { title: string; body: string; labels: string[] }): Promise<IssueInfo>;
  updateIssue(
    number: number,
    patch: { title?: string; body?: string; state?: 'open' | 'closed' },
  ): Promise<void>;
  /** GitHub's auto-merge (GraphQL enablePullRequestAutoMerge): true, or why GitHub refused it. */
  enableAutoMerge(pull: PullInfo, method: 'MERGE' | 'SQUASH'): Promise<true | string>;
}
