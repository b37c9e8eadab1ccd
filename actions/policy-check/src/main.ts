/** Action entry: inputs → options and adapters → checkPullRequest; outputs and the deny failure. */
import * as core from '@actions/core';
import {
  actionInputReader,
  readBoolean,
  readEdgeClient,
  readEnum,
  readGitHubClient,
  readInteger,
  readList,
  readRepo,
  readString,
  runAction,
} from '@autocode/toolkit';
import { DEFAULT_LLM_LABELS, POLICY_CONFIG_FILE } from '@autocode/policies';
import { defaultScanner, loadPolicyEngine } from '@autocode/policies/node';
import { fetchPolicyConfig, fetchPullRequest } from './github.js';
import { checkPullRequest, denial } from './policy-check.js';
import { killSwitchState } from './kill-switch.js';

await runAction(async (reporter) => {
  const reader = actionInputReader(process.env);
  const { owner, repo } = readRepo(reader, 'repository');
  readString(reader, 'pull-number', { required: true }); // outside a pull_request event it must be given
  const pullNumber = readInteger(reader, 'pull-number', 0, { min: 1 });
  const octokit = readGitHubClient(reader, reporter);
  const edge = readEdgeClient(reader, (audience) => core.getIDToken(audience), reporter);
  const failOpen = readBoolean(reader, 'kill-switch-fail-open', false);
  const options = {
    owner,
    repo,
    pullNumber,
    configPath: readString(reader, 'config') ?? POLICY_CONFIG_FILE,
    operation: readEnum(reader, 'operation', ['merge', 'write'] as const, 'merge'),
    requireApprovals: readInteger(reader, 'require-approvals', 0, { min: 0 }),
    automationAuthors: readList(reader, 'automation-authors'),
    llmLabels: readList(reader, 'llm-labels', DEFAULT_LLM_LABELS),
  };
  const decision = await checkPullRequest(options, {
    fetchPullRequest: () => fetchPullRequest(octokit, { owner, repo, pull_number: pullNumber }),
    fetchConfig: (base) => fetchPolicyConfig(octokit, { owner, repo }, base, options.configPath),
    killSwitch: () => killSwitchState(edge, failOpen, reporter),
    engine: await loadPolicyEngine(),
    scanner: defaultScanner(),
    reporter,
  });
  core.setOutput('decision', JSON.stringify(decision));
  core.setOutput('allowed', String(decision.allow));
  const subject = `${owner}/${repo}#${pullNumber}`;
  await edge
    ?.postAuditEvent({
      action: 'policy.check',
      resource: subject,
      result: decision.allow ? 'success' : 'denied',
      details: { deny: decision.deny.map((v) => v.rule), warn: decision.warn.map((v) => v.rule) },
    })
    .catch((err: Error) => reporter.warning(`audit event not recorded: ${err.message}`));
  if (!decision.allow) throw denial(decision, subject);
});
