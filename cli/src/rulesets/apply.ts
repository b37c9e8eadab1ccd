/**
 * Read each repository's rulesets (list, then each one in full: GitHub's list omits rules and conditions), plan,
 * and — unless dry-run — create or update. Rulesets with other names are never touched.
 */
import type { GitHubClient } from '@autocode/toolkit';
import type { RulesetSpec } from './config.js';
import { planRulesets } from './plan.js';
import type { CurrentRuleset, RulesetAction } from './plan.js';

async function currentRulesets(
  octokit: GitHubClient,
  repoFull: string,
  names: Set<string>,
): Promise<CurrentRuleset[]> {
  const [owner = '', repo = ''] = repoFull.split('/');
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/rulesets', {
    owner,
    repo,
    includes_parents: false,
    per_page: 100,
  });
  const out: CurrentRuleset[] = [];
  for (const r of data as { id: number; name: string }[]) {
    if (!names.has(r.name)) continue;
    const full = await octokit.request('GET /repos/{owner}/{repo}/rulesets/{ruleset_id}', {
      owner,
      repo,
      ruleset_id: r.id,
    });
    out.push(full.data as unknown as CurrentRuleset);
  }
  return out;
}

export async function applyRulesets(
  octokit: GitHubClient,
  specs: RulesetSpec[],
  opts: { dryRun: boolean },
): Promise<RulesetAction[]> {
  const names = new Set(specs.map((s) => s.name));
  const current = new Map<string, CurrentRuleset[]>();
  for (const repo of new Set(specs.flatMap((s) => s.repos)))
    current.set(repo, await currentRulesets(octokit, repo, names));
  const plan = planRulesets(specs, current);
  if (opts.dryRun) return plan;
  for (const action of plan) {
    const [owner = '', repo = ''] = action.repo.split('/');
    if (action.kind === 'create') {
      await octokit.request('POST /repos/{owner}/{repo}/rulesets', { owner, repo, ...action.body } as never);
    } else if (action.kind === 'update') {
      await octokit.request('PUT /repos/{owner}/{repo}/rulesets/{ruleset_id}', {
        owner,
        repo,
        ruleset_id: action.id!,
        ...action.body,
      } as never);
    }
  }
  return plan;
}
