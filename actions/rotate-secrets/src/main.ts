/** Action entry: inputs → plan, state and adapters → runRotation → state saved, outputs, metrics, summary. */
import { readFileSync } from 'node:fs';
import * as core from '@actions/core';
import {
  AutocodeError,
  ErrorCodes,
  actionInputReader,
  readBoolean,
  readEdgeClient,
  readGitHubClient,
  readList,
  readString,
  runAction,
} from '@autocode/toolkit';
import { parseRotationPlan, DEFAULTS } from './plan.js';
import { githubIssues, githubStateFile } from './github.js';
import { storeFactory } from './wire.js';
import { randomSecret, verifyWebhookPing } from './verify.js';
import { runRotation } from './rotate.js';
import { parseState } from './state.js';
import { rotationMetrics } from './metrics.js';

await runAction(async (reporter) => {
  const reader = actionInputReader(process.env);
  const edge = readEdgeClient(reader, (aud) => core.getIDToken(aud), reporter);
  if (!edge && !readBoolean(reader, 'allow-no-edge', false)) {
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      'edge-url is required: rotation checks the kill switch and records every step in the audit log',
      {
        hint: 'set edge-url (and `permissions: id-token: write`), or allow-no-edge: true for a local trial',
      },
    );
  }
  // The kill switch first: nothing is read or written while automation is stopped.
  await edge?.assertNotKilled();
  const planFile = readString(reader, 'plan') ?? '.github/autocode-rotation.yaml';
  let planText: string;
  try {
    planText = readFileSync(planFile, 'utf8');
  } catch (err) {
    throw new AutocodeError(ErrorCodes.INVALID_INPUT, `cannot read rotation plan ${planFile}`, {
      cause: err,
      hint: 'check out the repository first and point `plan` at the YAML file',
    });
  }
  const plan = parseRotationPlan(planText, planFile);
  const dryRun = readBoolean(reader, 'dry-run', false);
  const octokit = readGitHubClient(reader, reporter);
  const storesFor = storeFactory(reader, octokit, reporter);
  const stateFile = githubStateFile(
    octokit,
    plan.state.repo,
    plan.state.branch ?? DEFAULTS.state_branch,
    plan.state.path ?? DEFAULTS.state_path,
  );
  const previous = parseState(await stateFile.load());

  const { state, outcomes } = await runRotation(
    plan,
    previous,
    {
      stores: storesFor,
      verify: (check, value) => verifyWebhookPing(check.url, value),
      generate: (g) => randomSecret(g.bytes, g.encoding, g.prefix),
      guard: async () => edge?.assertNotKilled(),
      audit: async (event) => {
        if (!edge)
          return reporter.info(
            `audit (not sent, no edge): ${event.action} ${event.resource} ${event.result}`,
          );
        await edge
          .postAuditEvent(event)
          .catch((err: Error) => reporter.warning(`audit event not recorded: ${err.message}`));
      },
      env: (name) => process.env[name] || undefined,
      issues: plan.issues
        ? githubIssues(octokit, plan.issues.repo, plan.issues.labels ?? ['security', 'secret-rotation'])
        : undefined,
      now: () => new Date(),
      reporter,
    },
    { dryRun, force: readList(reader, 'rotate') },
  );

  if (!dryRun) {
    await edge?.assertNotKilled();
    await stateFile.save(
      `${JSON.stringify(state, null, 2)}\n`,
      `rotate-secrets: ${outcomes.map((o) => `${o.name} ${o.action}`).join(', ')}`,
    );
  }
  reporter.table(
    `Secret rotation${dryRun ? ' (dry run)' : ''}`,
    ['Secret', 'Action', 'Result', 'Overdue', 'Detail'],
    outcomes.map((o) => [o.name, o.action, o.result, o.overdue ? 'yes' : 'no', o.detail]),
  );
  const metrics = rotationMetrics(state, new Date());
  core.setOutput('outcomes', JSON.stringify(outcomes));
  core.setOutput(
    'overdue',
    outcomes
      .filter((o) => o.overdue)
      .map((o) => o.name)
      .join(','),
  );
  core.setOutput('metrics', metrics);
  const pushgateway = readString(reader, 'pushgateway-url');
  if (pushgateway && !dryRun) {
    const res = await fetch(`${pushgateway.replace(/\/+$/, '')}/metrics/job/autocode-rotate-secrets`, {
      method: 'PUT',
      body: metrics,
    }).catch((e: Error) => e);
    if (res instanceof Error || !res.ok)
      reporter.warning(
        `metrics not pushed to ${pushgateway}: ${res instanceof Error ? res.message : res.status}`,
      );
  }
  const failed = outcomes.filter((o) => o.result === 'failed');
  if (failed.length) {
    throw new AutocodeError(
      ErrorCodes.UPSTREAM_FAILED,
      `rotation failed for ${failed.map((o) => o.name).join(', ')}`,
      {
        hint: 'see the log above; the old values are still valid and the next run retries',
      },
    );
  }
});
