/**
 * Action entry for `autocode.killswitch` dispatches (and a reconciling schedule). Unlike every other action it
 * does not stop when the switch is active: enforcing the switch is its job. It never writes code or PRs; it only
 * cancels runs and disables/enables the automation workflows of this repository.
 */
import * as core from '@actions/core';
import {
  actionInputReader,
  readBoolean,
  readEdgeClient,
  readGitHubClient,
  readList,
  readRepo,
  readString,
  runAction,
} from '@autocode/toolkit';
import { enforceKillSwitch } from './enforce.js';

await runAction(async (reporter) => {
  const reader = actionInputReader(process.env);
  const { owner, repo } = readRepo(reader, 'repository', process.env.GITHUB_REPOSITORY);
  const octokit = readGitHubClient(reader, reporter);
  const edge = readEdgeClient(reader, (aud) => core.getIDToken(aud), reporter);
  // Without an edge, the dispatch payload is all we have; with one, it is only the fallback when unreachable.
  const dispatched = readString(reader, 'dispatched-active');
  const failOpen = readBoolean(reader, 'kill-switch-fail-open', false);
  const result = await enforceKillSwitch(
    octokit,
    {
      owner,
      repo,
      patterns: readList(reader, 'workflows', ['sync*.yml', 'codegen*.yml', 'rotate-secrets.yml']),
      self: readList(reader, 'self', ['killswitch.yml']),
      dryRun: readBoolean(reader, 'dry-run', false),
    },
    {
      state: async () => {
        if (edge) return edge.killSwitch();
        if (dispatched === undefined) throw new Error('no edge-url and no dispatched state');
        return { active: /^true$/i.test(dispatched) };
      },
      fallbackActive: !failOpen,
      audit: async (event) => {
        await edge
          ?.postAuditEvent(event)
          .catch((err: Error) => reporter.warning(`audit event not recorded: ${err.message}`));
      },
      reporter,
    },
  );
  reporter.table(
    `Kill switch ${result.active ? 'active' : 'cleared'} (${result.source})`,
    ['Change', 'Target'],
    [
      ...result.disable.map((w) => ['disabled', w.path]),
      ...result.cancel.map((r) => ['cancelled run', String(r.id)]),
      ...result.enable.map((w) => ['enabled', w.path]),
    ],
  );
  core.setOutput('active', String(result.active));
  core.setOutput('disabled', result.disable.map((w) => w.path).join(','));
  core.setOutput('enabled', result.enable.map((w) => w.path).join(','));
  core.setOutput('cancelled', result.cancel.map((r) => r.id).join(','));
});
