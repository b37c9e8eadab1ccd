import { describe, expect, it } from '@jest/globals';
import type { Annotation, Reporter } from '@autocode/toolkit';
import { consoleReporter } from '@autocode/toolkit';
import type { PullRequestData } from '@autocode/policies';
import { defaultScanner, loadPolicyEngine } from '@autocode/policies/node';
import { ALNUM, Fakes, p } from '@autocode/policies/testing';
import { checkPullRequest, denial } from './policy-check.js';
import { killSwitchState } from './kill-switch.js';

const HEAD = 'c'.repeat(40);

function pull(patch: string, reviewer = 'alice'): PullRequestData {
  return {
    pull: {
      number: 3,
      user: { login: 'autocode[bot]', type: 'Bot' },
      body: 'Requested-by: @carol',
      labels: [{ name: 'autocode:llm' }],
      head: { sha: HEAD },
      base: { ref: 'main', repo: { full_name: 'acme/web' } },
    },
    files: [{ filename: 'src/a.ts', status: 'modified', additions: 1, deletions: 0, changes: 1, patch }],
    commits: [{ sha: HEAD, commit: { verification: { verified: true, reason: 'valid' } } }],
    reviews: [{ user: { login: reviewer, type: 'User' }, state: 'APPROVED', commit_id: HEAD }],
    checkRuns: [{ name: 'CodeQL', head_sha: HEAD, conclusion: 'success' }],
  };
}

/** Records what the action would show: summary lines and annotations. */
function recorder(): Reporter & { lines: string[]; annotations: Annotation[] } {
  const lines: string[] = [];
  const annotations: Annotation[] = [];
  const base = consoleReporter((l) => lines.push(l));
  return { ...base, lines, annotations, annotate: (a) => void annotations.push(a) };
}

const options = {
  owner: 'acme',
  repo: 'web',
  pullNumber: 3,
  configPath: '.github/autocode-policy.yaml',
  operation: 'merge' as const,
  automationAuthors: [],
  llmLabels: ['autocode:llm'],
};

async function run(data: PullRequestData, config = {}, killSwitch = { active: false }) {
  const reporter = recorder();
  const decision = await checkPullRequest(options, {
    fetchPullRequest: async () => data,
    fetchConfig: async () => config,
    killSwitch: async () => killSwitch,
    engine: await loadPolicyEngine(),
    scanner: defaultScanner(),
    reporter,
  });
  await reporter.flush();
  return { decision, reporter };
}

describe('checkPullRequest', () => {
  it('allows a clean, approved PR and writes the rule table', async () => {
    const { decision, reporter } = await run(pull('@@ -1 +1,2 @@\n x\n+const y = 2;'));
    expect(decision.allow).toBe(true);
    const summary = reporter.lines.join('\n');
    expect(summary).toMatch(/autocode policy: ✅ allowed/);
    expect(summary).toMatch(/\| no-secrets \| No secrets in added lines \| ✅ pass \|/);
    expect(reporter.annotations).toEqual([]);
  });

  it('annotates findings on their file and line, and denies', async () => {
    const token = p('gh', 'p_', new Fakes(1).chars(ALNUM, 36));
    const { decision, reporter } = await run(
      pull(`@@ -1 +1,2 @@\n x\n+const t = '${token}';`, 'dependabot[bot]'),
    );
    expect(decision.allow).toBe(false);
    expect(reporter.annotations).toContainEqual(
      expect.objectContaining({ level: 'error', title: 'policy no-secrets', file: 'src/a.ts', line: 2 }),
    );
    const err = denial(decision, 'acme/web#3');
    expect(err.code).toBe('POLICY_DENIED');
    expect(err.message).toMatch(
      /^policy denied acme\/web#3: human-approvals, no-secrets \(merging into main needs 1/,
    );
    expect(JSON.stringify(reporter.lines)).not.toContain(token);
  });

  it('passes with warnings in review mode', async () => {
    const data = pull('@@ -1 +1,2 @@\n x\n+y');
    data.files[0]!.filename = 'package.json';
    const { decision, reporter } = await run(data, { protected_paths: { mode: 'review' } });
    expect(decision).toMatchObject({ allow: true, warn: [{ rule: 'protected-paths' }] });
    expect(reporter.annotations).toMatchObject([{ level: 'warning', file: 'package.json' }]);
    expect(reporter.lines.join('\n')).toMatch(/allowed with warnings/);
  });

  it('denies everything from automation while the kill switch is on', async () => {
    const { decision } = await run(pull('@@ -1 +1,2 @@\n x\n+y'), {}, { active: true });
    expect(decision.deny.map((v) => v.rule)).toEqual(['kill-switch']);
  });
});

describe('killSwitchState', () => {
  const log = recorder();
  const failing = { killSwitch: async () => Promise.reject(new Error('edge down')) } as never;
  it('fails closed when the edge cannot answer, open only when asked', async () => {
    expect(await killSwitchState(undefined, false, log)).toEqual({ active: false });
    expect(await killSwitchState(failing, false, log)).toEqual({
      active: true,
      reason: 'kill-switch state unknown: edge down',
    });
    expect(await killSwitchState(failing, true, log)).toEqual({ active: false });
  });
});
