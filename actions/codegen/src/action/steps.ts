/**
 * The four workflow steps, each wiring real adapters to a core: `generate` (read-only token, LLM keys),
 * `gate` (read-only token), `publish` and `report-failure` (the App). They exchange data only through the
 * run's artifact (patch, record, logs) and step outputs (the gate's decision).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { AutocodeError, ErrorCodes, createGitHubClient, readGitHubAuth, readString } from '@autocode/toolkit';
import type { EdgeClient, InputReader, Reporter } from '@autocode/toolkit';
import type { Decision, PolicyConfig } from '@autocode/policies';
import { defaultScanner, loadPolicyEngine, parsePolicyConfig } from '@autocode/policies/node';
import type { ArtifactStore } from '../adapters/artifacts.js';
import { ActionsResponseCache } from '../adapters/actions-cache.js';
import { checkoutRepo } from '../adapters/checkout.js';
import { createCheckRunner, failingOutput, probeSandbox } from '../checks/run.js';
import type { CodegenConfig } from '../config.js';
import { CODEGEN_CONFIG_FILE, parseCodegenConfig, parseProviders, resolveProviders } from '../config.js';
import { listRepoFiles } from '../context/files.js';
import { redactText } from '../context/redact.js';
import { WorkingTree } from '../edits/workspace.js';
import { evaluateGate } from '../gate.js';
import { generate } from '../generate.js';
import { Budget } from '../llm/budget.js';
import { FsResponseCache } from '../llm/cache.js';
import { createProvider } from '../llm/providers.js';
import { LlmRouter } from '../llm/router.js';
import { loadTokenCounter } from '../llm/tokens.js';
import { loadTemplates } from '../prompts/templates.js';
import { reportFailure } from '../publish/failure.js';
import { publish } from '../publish/publish.js';
import type { CodegenRecord } from '../record.js';
import type { StepOptions } from './options.js';

export interface StepContext {
  reporter: Reporter;
  reader: InputReader;
  env: Record<string, string | undefined>;
  setOutput(name: string, value: string): void;
  artifacts: ArtifactStore;
  edge?: EdgeClient;
  now: () => Date;
}

/**
 * prompts/ at the autocode repository root. The runner downloads the whole repository for an action, so it
 * is found by walking up from this module (the bundle and the sources sit at different depths).
 */
export function findPromptsDir(from = dirname(fileURLToPath(import.meta.url))): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'prompts', 'refactor_code.md'))) return join(dir, 'prompts');
    if (dirname(dir) === dir) {
      throw new AutocodeError(ErrorCodes.CONFIG_INVALID, `no prompts/ directory above ${from}`, {
        hint: 'run the action from a full autocode checkout',
      });
    }
  }
}
const FILES = { patch: 'patch.diff', record: 'record.json', log: 'checks.log' };

const runUrl = (env: StepContext['env']) =>
  env.GITHUB_RUN_ID
    ? `${env.GITHUB_SERVER_URL ?? 'https://github.com'}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}`
    : undefined;

function tokenClient(o: StepOptions, ctx: StepContext) {
  const token = readString(ctx.reader, 'token', { required: true });
  ctx.reporter.secret(token);
  return {
    token,
    github: createGitHubClient({ auth: { kind: 'token', token }, baseUrl: o.apiUrl, log: ctx.reporter }),
  };
}

const appClient = (o: StepOptions, ctx: StepContext) =>
  createGitHubClient({
    auth: readGitHubAuth(ctx.reader, (s) => ctx.reporter.secret(s)),
    baseUrl: o.apiUrl,
    log: ctx.reporter,
  });

async function fetchArtifact(
  o: StepOptions,
  ctx: StepContext,
  required: boolean,
): Promise<{ record?: CodegenRecord; patch: string; log: string }> {
  const dir = join(o.workdir, 'in');
  if (!(await ctx.artifacts.download(o.artifactName, dir)) || !existsSync(join(dir, FILES.record))) {
    if (required)
      throw new AutocodeError(
        ErrorCodes.NOT_FOUND,
        `artifact ${o.artifactName} with ${FILES.record} was not found in this run`,
      );
    return { patch: '', log: '' };
  }
  const read = (f: string) => (existsSync(join(dir, f)) ? readFileSync(join(dir, f), 'utf8') : '');
  return {
    record: JSON.parse(read(FILES.record)) as CodegenRecord,
    patch: read(FILES.patch),
    log: read(FILES.log),
  };
}

export async function generateStep(o: StepOptions, ctx: StepContext): Promise<void> {
  await ctx.edge?.assertNotKilled();
  const { token } = tokenClient(o, ctx);
  const dir = join(o.workdir, 'repo');
  const { sha } = await ctx.reporter.group('checkout', () =>
    checkoutRepo({
      url: `${ctx.env.GITHUB_SERVER_URL ?? 'https://github.com'}/${o.owner}/${o.repo}.git`,
      token,
      ref: o.ref,
      dir,
    }),
  );
  const configFile = join(dir, CODEGEN_CONFIG_FILE);
  const config: CodegenConfig = existsSync(configFile)
    ? parseCodegenConfig(readFileSync(configFile, 'utf8'), CODEGEN_CONFIG_FILE)
    : {};
  if (!o.providers)
    throw new AutocodeError(ErrorCodes.INVALID_INPUT, 'input `providers` is required for mode generate', {
      hint: 'a YAML list of { name, kind, model, base_url?, api_key_env? }',
    });
  const budget = new Budget({
    maxTokens: o.maxTokens ?? config.budget?.max_tokens,
    maxCostUsd: o.maxCostUsd ?? config.budget?.max_cost_usd,
  });
  const counter = await loadTokenCounter();
  const providers = resolveProviders(parseProviders(o.providers), ctx.env, (s) => ctx.reporter.secret(s)).map(
    createProvider,
  );
  const cacheDir = join(o.workdir, 'llm-cache');
  const router = new LlmRouter({
    providers,
    budget,
    counter,
    ...(config.prices ? { prices: config.prices } : {}),
    latencyThresholdMs: o.latencyThresholdMs,
    log: ctx.reporter,
    ...(o.cache
      ? {
          cache: ctx.env.ACTIONS_RUNTIME_TOKEN
            ? new ActionsResponseCache(cacheDir, ctx.reporter)
            : new FsResponseCache(cacheDir),
        }
      : {}),
  });
  const sandbox = probeSandbox();
  for (const note of sandbox.notes) ctx.reporter.warning(note);
  const scanner = defaultScanner();
  const engine = await loadPolicyEngine();
  const repository = `${o.owner}/${o.repo}`;
  const { record, patch } = await generate(
    {
      id: `${ctx.env.GITHUB_RUN_ID ?? 'local'}-${ctx.env.GITHUB_RUN_ATTEMPT ?? '1'}`,
      ...(o.jobId ? { jobId: o.jobId } : {}),
      repository,
      baseRef: o.ref,
      baseSha: sha,
      command: o.command,
      requester: o.requester,
      ...(o.template ? { template: o.template } : {}),
      ...(o.component ? { component: o.component } : {}),
      ...(runUrl(ctx.env) ? { runUrl: runUrl(ctx.env)! } : {}),
      checks: o.checks ?? config.checks ?? [],
      review: o.review ?? config.review ?? true,
      contextTokens: o.contextTokens ?? config.context_tokens ?? 24_000,
      ...(config.constraints ? { constraints: config.constraints } : {}),
    },
    {
      tree: new WorkingTree(dir),
      listFiles: () => listRepoFiles(dir),
      templates: loadTemplates(findPromptsDir()),
      llm: router,
      budget,
      counter,
      scanner,
      runChecks: createCheckRunner({
        plan: sandbox,
        log: ctx.reporter,
        timeoutMs: o.checkTimeoutMs,
        memoryBytes: o.checkMemoryBytes,
      }),
      sandbox,
      gate: (p) =>
        evaluateGate(p, { repository, baseRef: o.ref, requester: o.requester }, { engine, scanner }),
      ...(ctx.edge ? { edge: ctx.edge } : {}),
      log: ctx.reporter,
      now: ctx.now,
    },
  );
  const out = join(o.workdir, 'out');
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, FILES.patch), patch);
  writeFileSync(join(out, FILES.record), `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(join(out, FILES.log), failingOutput(record.checks.results) || 'all checks passed\n');
  const uploaded = await ctx.artifacts.upload(
    o.artifactName,
    Object.values(FILES).map((f) => join(out, f)),
    out,
  );
  ctx.setOutput('status', record.status);
  ctx.setOutput('branch', record.branch);
  if (uploaded.url) ctx.setOutput('artifact-url', uploaded.url);
  const t = record.llm.totals;
  ctx.reporter.table(
    'autocode codegen',
    ['', ''],
    [
      ['Status', record.status],
      ['Template', record.template.name],
      ['Provider / model', `${record.llm.provider ?? '—'} / ${record.llm.model ?? '—'}`],
      ['Tokens (in / out)', `${t.inputTokens} / ${t.outputTokens}`],
      ['Cost', `$${t.costUsd.toFixed(4)}`],
      [
        'Checks',
        record.checks.results.map((r) => `${r.name}: ${r.passed ? 'pass' : 'fail'}`).join(', ') || 'none',
      ],
    ],
  );
  if (record.failure)
    ctx.reporter.warning(
      `codegen did not produce a publishable change: [${record.failure.code}] ${record.failure.message}`,
    );
}

export async function gateStep(o: StepOptions, ctx: StepContext): Promise<void> {
  const { record, patch } = await fetchArtifact(o, ctx, true);
  const { github } = tokenClient(o, ctx);
  // The policy config comes from the base commit: the model's working tree is not trusted.
  let config: PolicyConfig = {};
  try {
    const { data } = await github.rest.repos.getContent({
      owner: o.owner,
      repo: o.repo,
      path: '.github/autocode-policy.yaml',
      ref: record!.base.sha,
    });
    if ('content' in data)
      config = parsePolicyConfig(
        Buffer.from(data.content, 'base64').toString('utf8'),
        '.github/autocode-policy.yaml',
      );
  } catch (err) {
    if ((err as { status?: number }).status !== 404) throw err;
  }
  let killSwitch: { active: boolean; reason?: string } = { active: false };
  if (ctx.edge)
    killSwitch = await ctx.edge
      .killSwitch()
      .catch(() => ({ active: true, reason: 'kill-switch state unknown (failing closed)' }));
  const { decision } = await evaluateGate(
    patch,
    {
      repository: record!.repository,
      baseRef: record!.base.ref,
      requester: record!.requester,
      config,
      killSwitch,
    },
    { engine: await loadPolicyEngine(), scanner: defaultScanner() },
  );
  const allow = decision.allow && record!.status === 'ready';
  ctx.setOutput('allow', String(allow));
  ctx.setOutput(
    'decision',
    JSON.stringify({ allow: decision.allow, deny: decision.deny, warn: decision.warn }),
  );
  ctx.reporter.table(
    'autocode policy gate',
    ['Rule', 'Outcome'],
    decision.rules.map((r) => [r.id, r.outcome]),
  );
  for (const v of [...decision.deny, ...decision.warn]) {
    ctx.reporter.annotate({
      level: decision.deny.includes(v) ? 'error' : 'warning',
      message: v.message,
      title: v.rule,
      ...(v.path ? { file: v.path } : {}),
      ...(v.line ? { line: v.line } : {}),
    });
  }
}

function readDecision(o: StepOptions): Pick<Decision, 'allow' | 'deny' | 'warn'> | undefined {
  if (!o.decision) return undefined;
  try {
    return JSON.parse(o.decision) as Pick<Decision, 'allow' | 'deny' | 'warn'>;
  } catch (err) {
    throw new AutocodeError(ErrorCodes.INVALID_INPUT, 'input `decision` is not the gate step’s JSON output', {
      cause: err,
    });
  }
}

export async function publishStep(o: StepOptions, ctx: StepContext): Promise<void> {
  const { record, patch } = await fetchArtifact(o, ctx, true);
  const decision = readDecision(o);
  if (!decision)
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      'input `decision` (the gate step’s output) is required for mode publish',
    );
  const result = await publish(
    record!,
    patch,
    decision,
    {
      owner: o.owner,
      repo: o.repo,
      labels: o.labels ?? [],
      reviewers: o.reviewers ?? [],
      teamReviewers: o.teamReviewers ?? [],
      ...(o.artifactUrl ? { artifactUrl: o.artifactUrl } : {}),
    },
    { github: appClient(o, ctx), ...(ctx.edge ? { edge: ctx.edge } : {}), log: ctx.reporter },
  );
  ctx.setOutput('pr-number', String(result.pr.number));
  ctx.setOutput('pr-url', result.pr.url);
  ctx.reporter.markdown(
    `Draft PR: ${result.pr.url} (commit ${result.commit.sha.slice(0, 7)}, ${result.commit.verified ? 'Verified' : 'not verified'})`,
  );
}

export async function reportFailureStep(o: StepOptions, ctx: StepContext): Promise<void> {
  const { record, log: rawLog } = await fetchArtifact(o, ctx, false);
  // Check output can echo secrets from the repository (a failing test printing a key): never post them.
  const log = await redactText(rawLog, defaultScanner());
  const decision = readDecision(o);
  const issue = await reportFailure(
    {
      id: record?.id ?? `${ctx.env.GITHUB_RUN_ID ?? 'local'}-${ctx.env.GITHUB_RUN_ATTEMPT ?? '1'}`,
      ...(o.jobId ? { jobId: o.jobId } : {}),
      ...(record ? { record } : {}),
      reason: record?.failure?.message ?? o.reason,
      output: log,
      ...(decision ? { decision } : {}),
      ...(o.artifactUrl ? { artifactUrl: o.artifactUrl } : {}),
      ...(runUrl(ctx.env) ? { runUrl: runUrl(ctx.env)! } : {}),
    },
    { owner: o.owner, repo: o.repo, labels: o.labels ?? [] },
    { github: appClient(o, ctx), ...(ctx.edge ? { edge: ctx.edge } : {}), log: ctx.reporter },
  );
  if (issue) ctx.setOutput('issue-number', String(issue.number));
  // The run must show red: a codegen request that ends here did not produce a PR.
  const code = Object.values(ErrorCodes).find((c) => c === record?.failure?.code) ?? ErrorCodes.POLICY_DENIED;
  throw new AutocodeError(
    code,
    `codegen did not open a PR: ${record?.failure?.message ?? o.reason}${issue ? ` (issue #${issue.number})` : ''}`,
  );
}
