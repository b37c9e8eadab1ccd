/**
 * The policy port for auto-merge, over `@autocode/policies`: the PR's files (patches), commits (verification)
 * and the target's own policy config (`.github/autocode-policy.yaml` on its default branch) → facts for a
 * `write` by automation → the wasm engine's decision. Reads only.
 */
import type { GitHubClient } from '@autocode/toolkit';
import type { PolicyEngine } from '@autocode/policies';
import { POLICY_CONFIG_FILE, factsFromPullRequest } from '@autocode/policies';
import type { PullRequestData } from '@autocode/policies';
import { defaultScanner, loadPolicyEngine, parsePolicyConfig } from '@autocode/policies/node';
import type { PolicyGate } from './automerge.js';

export function policyGate(
  octokit: GitHubClient,
  load: () => Promise<PolicyEngine> = () => loadPolicyEngine(),
): PolicyGate {
  let engine: Promise<PolicyEngine> | undefined;
  const scanner = defaultScanner();
  return {
    async check(repo, pull) {
      const [owner = '', name = ''] = repo.split('/');
      const r = { owner, repo: name };
      const [{ data: full }, files, commits] = await Promise.all([
        octokit.rest.pulls.get({ ...r, pull_number: pull.number }),
        octokit.paginate(octokit.rest.pulls.listFiles, { ...r, pull_number: pull.number, per_page: 100 }),
        octokit.paginate(octokit.rest.pulls.listCommits, { ...r, pull_number: pull.number, per_page: 100 }),
      ]);
      let configText: string | undefined;
      try {
        const { data } = await octokit.rest.repos.getContent({
          ...r,
          path: POLICY_CONFIG_FILE,
          ref: full.base.ref,
        });
        if (!Array.isArray(data) && data.type === 'file')
          configText = Buffer.from((data as { content: string }).content, 'base64').toString('utf8');
      } catch (err) {
        if ((err as { status?: number }).status !== 404) throw err;
      }
      const data = { pull: full, files, commits, reviews: [], checkRuns: [] } as unknown as PullRequestData;
      const input = await factsFromPullRequest(data, { operation: 'write', scanner });
      const e = await (engine ??= load());
      // configure + evaluate run back to back without an await: concurrent targets cannot interleave.
      e.configure(configText ? parsePolicyConfig(configText, `${repo}:${POLICY_CONFIG_FILE}`) : {});
      const decision = e.evaluate(input);
      const summary = decision.deny.map((v) => `${v.rule}: ${v.message}`).join('; ');
      return { allow: decision.allow, summary: summary || 'allowed' };
    },
  };
}
