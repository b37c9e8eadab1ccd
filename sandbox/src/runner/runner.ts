/**
 * The local Actions runner: answers the forge's `repository_dispatch` runs by running each run's workflow
 * file (read from the repository at the run's commit) through the interpreter, which invokes the autocode
 * action bundles from this checkout. Runs move queued → in_progress → completed on the forge, so `workflow_run`
 * webhooks and the kill switch's cancel/disable see them as on GitHub. Two local-stack policies sit on top,
 * both reported to the edge as the job's failure: a dispatch type that needs an LLM (codegen) fails at once
 * with "no LLM provider configured" when none is, and a dispatch no workflow answers fails with that fact
 * instead of staying `dispatched` forever.
 */
import { mkdirSync, appendFileSync } from 'node:fs';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { EdgeClient } from '@autocode/toolkit';
import type { JobEvent, LlmProviderConfig } from '@autocode/toolkit';
import type { DispatchRec, Forge } from '../forge/index.js';
import { githubContext, idTokenClaims, runnerEnv } from './context.js';
import type { WorkflowResult } from './interpreter.js';
import { runWorkflow } from './interpreter.js';
import { createSources } from './sources.js';
import { onDispatch, parseWorkflow } from './workflow.js';

export const NO_LLM_MESSAGE =
  'no LLM provider configured: add llm.providers to autocode.yaml (or set AUTOCODE_LLM_PROVIDERS), ' +
  'or start the stack with `autocode up --llm sandbox`';

export interface RunnerLlm {
  providers: LlmProviderConfig[];
  /** Environment variables the providers' `api_key_env` name, offered to workflows as secrets. */
  secrets: Record<string, string>;
}

export interface LocalRunnerOptions {
  forge: Forge;
  /** The autocode checkout whose actions and reusable workflows the runs use. */
  homeDir: string;
  /** `owner/repo` names that mean this checkout in `uses:` (default InfinityXOneSystems/autocode). */
  homeRepos?: string[];
  /** The App the workflows authenticate as (`vars.AUTOCODE_APP_ID`, `secrets.AUTOCODE_APP_PRIVATE_KEY`). */
  app: { appId: number; privateKey: string; installationId: number };
  /** `vars.AUTOCODE_EDGE_URL`; also where the runner reports the two local-stack failures. */
  edgeUrl?: string;
  llm?: RunnerLlm;
  /** Dispatch types whose workflows call a model (default autocode.codegen). */
  llmEvents?: string[];
  /** Run logs and scratch space (`<workDir>/<run id>/`, `<workDir>/<run id>.log`). */
  workDir: string;
  /** One line per run outcome (the console of `autocode up`). */
  log?: (line: string) => void;
  /** Default step timeout (GitHub's is 360 minutes; locally 30). */
  stepTimeoutMs?: number;
}

export interface RunOutcome {
  dispatch: DispatchRec;
  runId?: number;
  workflow?: string;
  conclusion: 'success' | 'failure' | 'skipped';
  errors: string[];
  summaries: string[];
}

export interface LocalRunner {
  /** Every finished dispatch, in order. */
  readonly outcomes: RunOutcome[];
  /** Resolves when every dispatch received so far has been handled. */
  idle(): Promise<void>;
  /** Take no more dispatches, end running steps (their runs conclude `cancelled`), wait for the rest. */
  stop(): Promise<void>;
}

export function startLocalRunner(opts: LocalRunnerOptions): LocalRunner {
  const { forge } = opts;
  const token = () => forge.tokenForInstallation(opts.app.installationId);
  const sources = createSources({
    forge,
    homeDir: opts.homeDir,
    homeRepos: opts.homeRepos ?? ['InfinityXOneSystems/autocode'],
    token,
  });
  const outcomes: RunOutcome[] = [];
  const queues = new Map<string, Promise<void>>();
  const say = opts.log ?? (() => {});
  const stopping = new AbortController();
  mkdirSync(opts.workDir, { recursive: true });

  async function report(repo: string, jobId: string, event: Omit<JobEvent, 'repository'>) {
    if (!opts.edgeUrl) return;
    const edge = new EdgeClient({
      baseUrl: opts.edgeUrl,
      getToken: (aud) => forge.oidc.mintActionsIdToken({ repository: repo, aud }),
      retries: 2,
      backoffMs: 200,
    });
    await edge.postJobEvent(jobId, { repository: repo, ...event }).catch((err: Error) => {
      say(`runner: could not report job ${jobId} to the edge: ${err.message}`);
    });
  }

  const secrets = (): Record<string, string> => ({
    GITHUB_TOKEN: token(),
    AUTOCODE_APP_PRIVATE_KEY: opts.app.privateKey,
    ...(opts.llm?.secrets ?? {}),
  });
  const vars = (): Record<string, string> => ({
    AUTOCODE_APP_ID: String(opts.app.appId),
    AUTOCODE_INSTALLATION_ID: String(opts.app.installationId),
    ...(opts.edgeUrl ? { AUTOCODE_EDGE_URL: opts.edgeUrl } : {}),
    ...(opts.llm?.providers.length ? { AUTOCODE_LLM_PROVIDERS: stringify(opts.llm.providers) } : {}),
  });

  async function execute(d: DispatchRec, runId: number): Promise<RunOutcome> {
    const run = forge.state.runs.find((r) => r.id === runId)!;
    const repoRec = forge.state.repos[d.repo.toLowerCase()]!;
    const repo = `${repoRec.owner}/${repoRec.name}`;
    const text = await sources.repoFile(repo, run.path, run.headSha);
    const workflow = parseWorkflow(text ?? '', `${repo}/${run.path}`);
    if (!onDispatch(workflow, d.eventType)) {
      await forge.updateWorkflowRun(runId, { status: 'completed', conclusion: 'skipped' });
      return { dispatch: d, runId, workflow: run.path, conclusion: 'skipped', errors: [], summaries: [] };
    }
    const dir = join(opts.workDir, String(runId));
    const [workspace, tempDir, home] = ['workspace', 'temp', 'home'].map((p) => join(dir, p)) as [
      string,
      string,
      string,
    ];
    for (const p of [workspace, tempDir, home]) mkdirSync(p, { recursive: true });
    const facts = {
      forge,
      run,
      repo,
      defaultBranch: repoRec.defaultBranch,
      eventType: d.eventType,
      clientPayload: d.clientPayload,
      workflow,
      token: token(),
      installationId: opts.app.installationId,
      workspace,
      tempDir,
      home,
    };
    const github = githubContext(facts);
    const logFile = `${dir}.log`;
    await forge.updateWorkflowRun(runId, { status: 'in_progress' });
    const result: WorkflowResult = await runWorkflow(
      workflow,
      { kind: 'forge', repo, ref: run.headSha },
      {
        sources,
        github,
        vars: vars(),
        secrets: { ...secrets(), GITHUB_TOKEN: facts.token },
        baseEnv: runnerEnv(facts, github),
        workspace,
        tempDir,
        idToken: () => forge.oidc.requestToken(idTokenClaims(github)),
        log: (line) => appendFileSync(logFile, `${line}\n`),
        defaultTimeoutMs: opts.stepTimeoutMs ?? 30 * 60_000,
      },
    );
    await forge.updateWorkflowRun(runId, { status: 'completed', conclusion: result.conclusion });
    return {
      dispatch: d,
      runId,
      workflow: run.path,
      conclusion: result.conclusion,
      errors: result.errors,
      summaries: result.summaries,
    };
  }

  async function handle(d: DispatchRec): Promise<void> {
    const jobId = typeof d.clientPayload.job_id === 'string' ? d.clientPayload.job_id : undefined;
    const repo = typeof d.clientPayload.repo === 'string' ? d.clientPayload.repo : d.repo;
    const needsLlm = (opts.llmEvents ?? ['autocode.codegen']).includes(d.eventType);
    const finish = (o: RunOutcome) => {
      outcomes.push(o);
      const why = o.errors[0] ? `: ${o.errors[0]}` : '';
      say(`runner: ${d.repo} ${d.eventType}${o.runId ? ` run ${o.runId}` : ''} → ${o.conclusion}${why}`);
    };
    if (needsLlm && !opts.llm?.providers.length) {
      for (const id of d.runIds)
        await forge.updateWorkflowRun(id, { status: 'completed', conclusion: 'failure' });
      if (jobId) await report(repo, jobId, { type: 'failed', message: NO_LLM_MESSAGE });
      return finish({ dispatch: d, conclusion: 'failure', errors: [NO_LLM_MESSAGE], summaries: [] });
    }
    if (d.runIds.length === 0) {
      const message = `no active workflow in ${d.repo} runs on repository_dispatch ${d.eventType}`;
      if (jobId) await report(repo, jobId, { type: 'failed', message });
      return finish({ dispatch: d, conclusion: 'skipped', errors: [message], summaries: [] });
    }
    for (const runId of d.runIds) {
      const outcome: RunOutcome = await execute(d, runId).catch(async (err: Error) => {
        await forge.updateWorkflowRun(runId, { status: 'completed', conclusion: 'failure' }).catch(() => {});
        return { dispatch: d, runId, conclusion: 'failure', errors: [err.message], summaries: [] };
      });
      // A workflow that stops before reporting leaves its job `dispatched`; say why (ignored once terminal).
      if (outcome.conclusion === 'failure' && jobId && !stopping.signal.aborted) {
        await report(repo, jobId, {
          type: 'failed',
          message: `workflow ${outcome.workflow ?? runId} failed: ${outcome.errors[0] ?? 'see the run log'}`,
        });
      }
      finish(outcome);
    }
  }

  const unsubscribe = forge.onDispatch((d) => {
    if (d.kind !== 'repository_dispatch') return;
    const key = d.repo.toLowerCase();
    const next = (queues.get(key) ?? Promise.resolve()).then(() =>
      handle(d).catch((err: Error) => say(`runner: ${d.repo} ${d.eventType}: ${err.message}`)),
    );
    queues.set(key, next);
  });

  return {
    outcomes,
    async idle() {
      let pending = [...queues.values()];
      while (pending.length) {
        await Promise.all(pending);
        const now = [...queues.values()];
        pending = now.filter((p) => !pending.includes(p));
      }
    },
    async stop() {
      unsubscribe();
      stopping.abort();
      await this.idle();
    },
  };
}
