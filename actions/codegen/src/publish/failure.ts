/**
 * The failure path: no PR; an issue carrying the failing output (checks, policy denials, errors) and links
 * to the run and its artifacts, and a `failed` job event to the edge. The kill switch is checked first: when
 * it is on, nothing is written at all. A rerun of the same run updates its issue (found by the marker in
 * the body) instead of opening another.
 */
import { toAutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { GitHubClient, Logger } from '@autocode/toolkit';
import type { EdgePort } from '../generate.js';
import { failureBody, failureTitle, marker } from './body.js';
import type { FailureReport } from './body.js';

export interface FailureInput extends FailureReport {
  jobId?: string;
}

export interface FailureOptions {
  owner: string;
  repo: string;
  labels: string[];
}

export async function reportFailure(
  input: FailureInput,
  options: FailureOptions,
  deps: { github: GitHubClient; edge?: EdgePort; log: Logger },
): Promise<{ number: number; url: string; created: boolean } | undefined> {
  try {
    await deps.edge?.assertNotKilled();
  } catch (err) {
    const e = toAutocodeError(err);
    if (e.code !== ErrorCodes.KILL_SWITCH_ACTIVE) throw e;
    deps.log.warning(`kill switch on: no failure issue is opened (${e.message})`);
    return undefined;
  }
  const { owner, repo } = options;
  const body = failureBody(input);
  const title = failureTitle(input.record, input.reason);
  const tag = marker('failure', input.id);
  const existing = (
    await deps.github.rest.issues.listForRepo({
      owner,
      repo,
      state: 'open',
      labels: 'autocode',
      per_page: 100,
    })
  ).data.find((i) => !i.pull_request && (i.body ?? '').includes(tag));
  let issue: { number: number; url: string; created: boolean };
  await deps.edge?.assertNotKilled();
  if (existing) {
    const { data } = await deps.github.rest.issues.update({
      owner,
      repo,
      issue_number: existing.number,
      title,
      body,
    });
    issue = { number: data.number, url: data.html_url, created: false };
  } else {
    const { data } = await deps.github.rest.issues.create({
      owner,
      repo,
      title,
      body,
      labels: [...new Set(['autocode', ...options.labels])],
    });
    issue = { number: data.number, url: data.html_url, created: true };
  }
  const jobId = input.jobId ?? input.record?.job_id;
  if (jobId) {
    const t = input.record?.llm.totals;
    await deps.edge
      ?.postJobEvent(jobId, {
        type: 'failed',
        repository: `${owner}/${repo}`,
        message: input.reason.slice(0, 500),
        ...(input.runUrl ? { run_url: input.runUrl } : {}),
        ...(t
          ? { usage: { input_tokens: t.inputTokens, output_tokens: t.outputTokens, cost_usd: t.costUsd } }
          : {}),
        details: { issue_number: issue.number, issue_url: issue.url },
      })
      .catch((err: unknown) =>
        deps.log.warning(`could not report the failure to the edge: ${(err as Error).message}`),
      );
  }
  return issue;
}
