/**
 * Loads and saves the forge's JSON state under `<stateDir>/state.json` (atomic rename, so a crash never
 * leaves half a file) and hands out ids. Git data lives beside it in `<stateDir>/repos/<owner>/<name>.git`.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ForgeState, RepoRec, UserRec } from './types.js';

export function emptyState(): ForgeState {
  return {
    version: 1,
    // Ids start high enough to look like GitHub's and never collide across record kinds.
    nextId: 1000,
    app: null,
    users: {},
    orgs: {},
    teams: [],
    repos: {},
    installations: [],
    tokens: {},
    issues: {},
    comments: {},
    labels: {},
    reviews: {},
    checkRuns: {},
    statuses: {},
    secretKeys: {},
    secrets: {},
    hooks: [],
    workflows: {},
    runs: [],
    dispatches: [],
    rulesets: [],
    verifiedCommits: [],
    oidcKey: null,
  };
}

export class Store {
  readonly state: ForgeState;
  private verified: Set<string>;

  constructor(readonly dir: string) {
    mkdirSync(join(dir, 'repos'), { recursive: true });
    const file = this.file;
    this.state = existsSync(file)
      ? { ...emptyState(), ...(JSON.parse(readFileSync(file, 'utf8')) as Partial<ForgeState>) }
      : emptyState();
    this.verified = new Set(this.state.verifiedCommits);
  }

  get file(): string {
    return join(this.dir, 'state.json');
  }

  repoDir(key: string): string {
    return join(this.dir, 'repos', `${key}.git`);
  }

  save(): void {
    this.state.verifiedCommits = [...this.verified];
    const tmp = `${this.file}.${process.pid}.tmp`;
    writeFileSync(tmp, JSON.stringify(this.state));
    renameSync(tmp, this.file);
  }

  id(): number {
    return this.state.nextId++;
  }

  markVerified(sha: string): void {
    this.verified.add(sha);
  }

  isVerified(sha: string): boolean {
    return this.verified.has(sha);
  }

  repo(owner: string, name: string): RepoRec | undefined {
    return this.state.repos[`${owner}/${name}`.toLowerCase()];
  }

  /** A user, org or bot account by login (case-insensitive like GitHub). */
  account(login: string): UserRec | undefined {
    const key = login.toLowerCase();
    const user = this.state.users[key];
    if (user) return user;
    const org = this.state.orgs[key];
    return org
      ? {
          id: org.id,
          login: org.login,
          type: 'Organization',
          name: org.login,
          email: '',
          createdAt: org.createdAt,
        }
      : undefined;
  }

  /** Per-repo record list, created on first use. */
  list<K extends 'issues' | 'comments' | 'labels' | 'reviews' | 'checkRuns' | 'statuses' | 'workflows'>(
    kind: K,
    repoKey: string,
  ): ForgeState[K][string] {
    const bag = this.state[kind] as Record<string, ForgeState[K][string]>;
    return (bag[repoKey] ??= [] as unknown as ForgeState[K][string]);
  }
}
