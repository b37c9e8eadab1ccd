/**
 * Action entry: inputs → typed options → one step (generate | gate | publish | report-failure), through the
 * toolkit's runAction (the one place errors become annotations and a failed step).
 */
import * as core from '@actions/core';
import { actionInputReader, readEdgeClient, runAction } from '@autocode/toolkit';
import { actionsArtifactStore, directoryArtifactStore } from './adapters/artifacts.js';
import { readStepOptions } from './action/options.js';
import { gateStep, generateStep, publishStep, reportFailureStep } from './action/steps.js';

await runAction(async (reporter) => {
  const env = process.env;
  const reader = actionInputReader(env);
  const options = readStepOptions(reader, env);
  const edge = readEdgeClient(reader, (audience) => core.getIDToken(audience), reporter);
  const artifacts = env.ACTIONS_RUNTIME_TOKEN
    ? actionsArtifactStore({
        serverUrl: env.GITHUB_SERVER_URL ?? 'https://github.com',
        repository: env.GITHUB_REPOSITORY ?? '',
        runId: env.GITHUB_RUN_ID ?? '',
      })
    : directoryArtifactStore(`${options.workdir}/artifacts`);
  const ctx = {
    reporter,
    reader,
    env,
    artifacts,
    setOutput: (n: string, v: string) => core.setOutput(n, v),
    now: () => new Date(),
    ...(edge ? { edge } : {}),
  };
  const steps = {
    generate: generateStep,
    gate: gateStep,
    publish: publishStep,
    'report-failure': reportFailureStep,
  };
  await steps[options.mode](options, ctx);
});
