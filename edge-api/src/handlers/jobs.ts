/**
 * POST /v1/jobs/{id}/events: callbacks from workflows (GitHub Actions OIDC). State events move the job through
 * its state machine (late or repeated events are accepted and ignored); usage is added to today's spend.
 */
import type { IRequest } from 'itty-router';
import type { JobEvent, JobState } from '@autocode/toolkit/contract';
import { JOB_STATES } from '@autocode/toolkit/contract';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Ctx } from '../context.js';
import { authenticateWorkflow } from '../auth/workflow.js';
import { json, readJson } from '../http.js';
import type { Schema } from '../schema.js';
import { REPO_PATTERN, validate } from '../schema.js';
import { getJob, transitionStatement } from '../adapters/jobs-store.js';
import { recordSpend } from '../adapters/spend.js';
import { notifyStatement } from '../adapters/notify.js';
import { notifyJobFailed, notifyPrReady } from '../adapters/push.js';

const eventSchema: Schema = {
  type: 'object',
  required: ['type', 'repository'],
  properties: {
    type: { type: 'string', enum: [...JOB_STATES, 'conflict', 'progress'] },
    repository: { type: 'string', pattern: REPO_PATTERN },
    message: { type: 'string', maxLength: 2000 },
    pr_number: { type: 'integer', minimum: 1 },
    pr_url: { type: 'string', maxLength: 500 },
    run_url: { type: 'string', maxLength: 500 },
    usage: {
      type: 'object',
      required: ['input_tokens', 'output_tokens', 'cost_usd'],
      properties: {
        input_tokens: { type: 'integer', minimum: 0 },
        output_tokens: { type: 'integer', minimum: 0 },
        cost_usd: { type: 'number', minimum: 0, maximum: 100_000 },
      },
    },
    details: { type: 'record', maxKeys: 50, values: { type: 'any' } },
  },
};

export async function postJobEvent(request: IRequest, ctx: Ctx): Promise<Response> {
  const wf = await authenticateWorkflow(request, ctx.config, ctx.env.CACHE);
  const event = validate<JobEvent>(await readJson(request, ctx.config.maxBodyBytes), eventSchema);
  const jobId = String(request.params.id);
  const job = await getJob(ctx.db, jobId);
  if (!job) throw new AutocodeError(ErrorCodes.NOT_FOUND, `no job ${jobId}`);
  // A workflow may only report on jobs aimed at its own organisation.
  if (job.repo.split('/')[0]?.toLowerCase() !== wf.owner.toLowerCase()) {
    throw new AutocodeError(ErrorCodes.FORBIDDEN, `job ${jobId} does not belong to ${wf.owner}`);
  }
  const now = ctx.now();
  const isState = (JOB_STATES as readonly string[]).includes(event.type) && event.type !== 'queued';
  const stmts: D1PreparedStatement[] = [];
  if (isState) {
    stmts.push(
      transitionStatement(
        ctx.db,
        jobId,
        event.type as JobState,
        {
          message: event.message,
          pr_number: event.pr_number,
          pr_url: event.pr_url,
          run_url: event.run_url,
        },
        now,
      ),
    );
    stmts.push(
      notifyStatement(ctx.db, job.requested_by, `job.${event.type}`, { job_id: jobId, ...event }, now),
    );
  }
  stmts.push(
    await ctx.audit.statement({
      action: `job_${event.type}`,
      resource_type: 'job',
      resource_id: jobId,
      success: event.type !== 'failed',
      error_message: event.type === 'failed' ? (event.message ?? 'failed') : null,
      pr_url: event.pr_url,
      tokens_used: event.usage ? event.usage.input_tokens + event.usage.output_tokens : undefined,
      cost_estimate_usd: event.usage?.cost_usd,
      details: { repository: wf.repository, workflow_ref: wf.workflowRef ?? null, run_id: wf.runId ?? null },
    }),
  );
  const results = await ctx.db.batch(stmts);
  const applied = isState && (results[0]?.results.length ?? 0) > 0;
  if (applied && event.type === 'pr_opened') {
    notifyPrReady(ctx, job, { kind: 'pr.opened', repo: event.repository, number: event.pr_number });
  }
  if (applied && event.type === 'failed') notifyJobFailed(ctx, job, event.message);
  const tripped = event.usage ? await recordSpend(ctx, event.usage, `job ${jobId}`) : false;
  const state = applied ? event.type : (await getJob(ctx.db, jobId))?.state;
  return json({ job_id: jobId, state, applied, kill_switch_tripped: tripped });
}
