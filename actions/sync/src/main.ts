/** Action entry: inputs → options and adapters → runSync; summary, outputs, and failure if a target failed. */
import * as core from '@actions/core';
import * as toolkit from '@autocode/toolkit';
import { assertFleetOk } from './outcome.js';
import { fleetOutputs, reportFleet } from './report.js';
import { readSyncOptions, runSync } from './run.js';

await toolkit.runAction(async (reporter) => {
  const reader = toolkit.actionInputReader(process.env);
  const env = process.env;
  const apiUrl = toolkit.readString(reader, 'github-api-url') ?? toolkit.DEFAULT_GITHUB_API;
  const octokit = toolkit.createGitHubClient({
    auth: toolkit.readGitHubAuth(reader, (s) => reporter.secret(s)),
    baseUrl: apiUrl,
    log: reporter,
    // GitHub advises ≥ 1 s between content-creating requests.
    writeSpacingMs: toolkit.readInteger(reader, 'write-spacing-ms', 1000, { min: 0, max: 60_000 }),
  });
  const mode = toolkit.readEnum(reader, 'mode', ['sync', 'rollback'] as const, 'sync');
  const runUrl = env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
    : undefined;
  const options = await readSyncOptions(reader, mode, {
    ...(env.GITHUB_WORKSPACE ? { workspace: env.GITHUB_WORKSPACE } : {}),
    ...(env.GITHUB_REPOSITORY ? { repository: env.GITHUB_REPOSITORY } : {}),
    ...(runUrl ? { runUrl } : {}),
  });
  const edge = toolkit.readEdgeClient(reader, (audience) => core.getIDToken(audience), reporter);
  const jobId = toolkit.readString(reader, 'job-id');
  const result = await runSync(options, {
    octokit,
    apiUrl,
    log: reporter,
    ...(edge ? { beforeWrites: () => edge.assertNotKilled() } : {}),
    ...(edge && jobId ? { emit: (event) => edge.postJobEvent(jobId, event) } : {}),
  });
  reportFleet(reporter, result, mode === 'sync' ? 'autocode sync' : 'autocode sync rollback');
  for (const [name, value] of Object.entries(fleetOutputs(result))) core.setOutput(name, value);
  assertFleetOk(result);
});
