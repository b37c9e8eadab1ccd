/**
 * The subset of repository rulesets the forge enforces: `pull_request.required_approving_review_count` on
 * merges (other rules are stored and returned, not enforced; `hasRule` is there for callers that want to).
 * Rulesets target branches through `conditions.ref_name.include/exclude` with `~DEFAULT_BRANCH`, `~ALL` and
 * fnmatch-style patterns.
 */
import type { ForgeCore } from './core.js';
import { repoKey } from './core.js';
import type { RepoRec, ReviewRec, RulesetRec } from './types.js';

function globToRegex(pattern: string): RegExp {
  const escaped = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*\*/g, '\0')
    .replace(/\*/g, '[^/]*');
  return new RegExp(`^${escaped.replace(/\0/g, '.*')}$`);
}

function refMatches(repo: RepoRec, ref: string, pattern: string): boolean {
  if (pattern === '~ALL') return true;
  if (pattern === '~DEFAULT_BRANCH') return ref === `refs/heads/${repo.defaultBranch}`;
  return globToRegex(pattern).test(ref);
}

export function rulesetsFor(core: ForgeCore, repo: RepoRec, ref: string): RulesetRec[] {
  const key = repoKey(repo);
  return core.store.state.rulesets.filter((rs) => {
    if (rs.repo !== key || rs.enforcement !== 'active' || rs.target !== 'branch') return false;
    const cond = (rs.conditions?.ref_name ?? {}) as { include?: string[]; exclude?: string[] };
    const include = cond.include ?? [];
    const exclude = cond.exclude ?? [];
    return include.some((p) => refMatches(repo, ref, p)) && !exclude.some((p) => refMatches(repo, ref, p));
  });
}

export function hasRule(core: ForgeCore, repo: RepoRec, ref: string, type: string): boolean {
  return rulesetsFor(core, repo, ref).some((rs) => rs.rules.some((r) => r.type === type));
}

export function requiredApprovals(core: ForgeCore, repo: RepoRec, baseRef: string): number {
  let n = 0;
  for (const rs of rulesetsFor(core, repo, `refs/heads/${baseRef}`)) {
    for (const rule of rs.rules) {
      if (rule.type !== 'pull_request') continue;
      n = Math.max(n, Number(rule.parameters?.required_approving_review_count ?? 0));
    }
  }
  return n;
}

/** Reviewers whose latest decisive review is an approval (GitHub counts each reviewer once). */
export function approvals(reviews: ReviewRec[], number: number, author: string): number {
  const latest = new Map<string, ReviewRec['state']>();
  for (const r of reviews) {
    if (r.number !== number || r.user === author) continue;
    if (r.state === 'APPROVED' || r.state === 'CHANGES_REQUESTED' || r.state === 'DISMISSED') {
      latest.set(r.user, r.state);
    }
  }
  return [...latest.values()].filter((s) => s === 'APPROVED').length;
}
