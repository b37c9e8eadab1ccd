/**
 * The generate use case (the workflow's read-only job, and the CLI): kill switch first, then sanitise the
 * command, pick a template, build the redacted context, ask the model for edits (with reflection), run the
 * checks (one fix-up round), preview the policy decision, review, and return the patch with its record.
 * It writes only to the working tree; every collaborator is injected and the clock is `now()`.
 */
import { createHash } from 'node:crypto';
import type { SecretScanner } from '@autocode/policies';
import { toAutocodeError } from '@autocode/toolkit';
import type { JobEvent, Logger } from '@autocode/toolkit';
import type { CheckCommand, CheckResult, CheckRunner, SandboxPlan } from './checks/run.js';
import { failingOutput } from './checks/run.js';
import { gatherContext } from './context/index.js';
import { fenceFile } from './context/pack.js';
import { redactSecrets } from './context/redact.js';
import { editWithReflection } from './edit-loop.js';
import type { WorkingTree } from './edits/workspace.js';
import type { GateResult } from './gate.js';
import type { Budget } from './llm/budget.js';
import type { TokenCounter } from './llm/tokens.js';
import type { CallResult, LlmCall } from './llm/types.js';
import { editRules } from './prompts/edit-rules.js';
import type { PromptTemplate } from './prompts/templates.js';
import { renderTemplate, selectTemplate } from './prompts/templates.js';
import type { CallSummary, CodegenRecord } from './record.js';
import { branchName, componentOf } from './record.js';
import { parseReview } from './review.js';
import { sanitizeUserText } from './text/sanitize.js';

export interface GenerateOptions {
  id: string;
  jobId?: string;
  repository: string;
  baseRef: string;
  baseSha: string;
  command: string;
  requester: string;
  template?: string;
  component?: string;
  runUrl?: string;
  checks: CheckCommand[];
  review: boolean;
  contextTokens: number;
  maxFiles?: number;
  maxReflections?: number;
  fixupRounds?: number;
  constraints?: string;
}

/** The minimum the core needs from the edge: the kill switch and job events. */
export interface EdgePort {
  assertNotKilled(): Promise<void>;
  postJobEvent(jobId: string, event: JobEvent): Promise<unknown>;
}

export interface GenerateDeps {
  tree: WorkingTree;
  listFiles(): string[];
  templates: Map<string, PromptTemplate>;
  llm: { complete(call: LlmCall): Promise<CallResult> };
  budget: Budget;
  counter: TokenCounter;
  scanner: SecretScanner;
  runChecks: CheckRunner;
  sandbox: SandboxPlan;
  /** Policy preview for the review (the gate job decides for real). */
  gate?: (patch: string) => Promise<GateResult>;
  edge?: EdgePort;
  log: Logger;
  now: () => Date;
}

export interface GenerateResult {
  record: CodegenRecord;
  patch: string;
}

const DEFAULT_CONSTRAINTS =
  'Keep the change focused on the command. Do not modify CI configuration, lock files or dependency manifests unless the command asks for it.';

function summarise(c: CallResult, template: string): CallSummary {
  return {
    template,
    provider: c.provider,
    model: c.model,
    prompt_hash: c.promptHash,
    cached: c.cached,
    input_tokens: c.usage.inputTokens,
    output_tokens: c.usage.outputTokens,
    cached_input_tokens: c.usage.cachedInputTokens,
    cost_usd: c.costUsd,
    latency_ms: c.latencyMs,
    attempts: c.attempts,
  };
}

export async function generate(options: GenerateOptions, deps: GenerateDeps): Promise<GenerateResult> {
  // Before anything else, and before any model call: a tripped kill switch stops here (throws).
  await deps.edge?.assertNotKilled();
  const sanitized = sanitizeUserText(options.command);
  const created = deps.now();
  const component = componentOf(sanitized.text, options.component);
  const record: CodegenRecord = {
    version: 1,
    id: options.id,
    ...(options.jobId ? { job_id: options.jobId } : {}),
    repository: options.repository,
    base: { ref: options.baseRef, sha: options.baseSha },
    command: sanitized.text,
    requester: options.requester,
    component,
    branch: branchName(component, created),
    created_at: created.toISOString(),
    ...(options.runUrl ? { run_url: options.runUrl } : {}),
    template: { name: options.template ?? '', reason: '' },
    llm: { calls: [], totals: deps.budget.totals() },
    context: {
      files_considered: 0,
      included: [],
      omitted: [],
      redactions: [],
      tokens: { map: 0, files: 0 },
      sanitized: sanitized.removed,
    },
    edits: { rounds: 0, reflection_errors: [], refused_paths: [] },
    checks: { network: deps.sandbox.network, notes: deps.sandbox.notes, fixup_round: false, results: [] },
    files: [],
    status: 'failed',
  };
  let patch = '';
  try {
    if (options.jobId)
      await deps.edge?.postJobEvent(options.jobId, {
        type: 'running',
        repository: options.repository,
        ...(options.runUrl ? { run_url: options.runUrl } : {}),
      });
    patch = await run(options, deps, record, sanitized.text);
  } catch (err) {
    const e = toAutocodeError(err);
    record.status = 'failed';
    record.failure = { code: e.code, message: e.message, ...(e.hint ? { hint: e.hint } : {}) };
    deps.log.error(`codegen failed: [${e.code}] ${e.message}`);
  }
  record.llm.totals = deps.budget.totals();
  return { record, patch };
}

async function run(
  options: GenerateOptions,
  deps: GenerateDeps,
  record: CodegenRecord,
  command: string,
): Promise<string> {
  const choice = selectTemplate(deps.templates, command, options.template);
  record.template = { name: choice.template.name, reason: choice.reason };
  const ctx = await gatherContext(
    choice.command,
    {
      listFiles: deps.listFiles,
      read: (p) => deps.tree.read(p),
      scanner: deps.scanner,
      counter: deps.counter,
    },
    { budgetTokens: options.contextTokens, maxFiles: options.maxFiles },
  );
  record.command = ctx.command;
  record.context = {
    ...record.context,
    files_considered: ctx.fileCount,
    included: ctx.included,
    omitted: ctx.omitted,
    redactions: ctx.redactions,
    tokens: ctx.tokens,
  };
  if (ctx.redactions.length)
    deps.log.warning(`redacted ${ctx.redactions.length} secret(s) from the context before sending it`);

  const cacheKey = createHash('sha256')
    .update(`${options.repository}@${options.baseSha}:${choice.template.name}`)
    .digest('hex')
    .slice(0, 32);
  const rendered = renderTemplate(choice.template, {
    command: ctx.command,
    repo_map: ctx.repoMap,
    files: ctx.files || '(no file matched the command)',
    edit_rules: editRules(choice.template.edit_format),
    constraints: options.constraints ?? DEFAULT_CONSTRAINTS,
  });
  const complete = async (call: LlmCall) => {
    const result = await deps.llm.complete(call);
    record.llm.calls.push(summarise(result, call.template));
    return result;
  };
  const first = await editWithReflection(
    {
      template: choice.template.name,
      system: rendered.system,
      messages: [{ role: 'user', content: rendered.user }],
      maxOutputTokens: choice.template.max_output_tokens,
      cacheKey,
    },
    { complete, tree: deps.tree, log: deps.log },
    options.maxReflections ?? 2,
  );
  const main = first.calls[0]!;
  Object.assign(record.llm, { prompt_hash: main.promptHash, provider: main.provider, model: main.model });
  record.edits = { rounds: first.rounds, reflection_errors: first.errors, refused_paths: first.refused };
  if (!first.applied) {
    record.status = 'edits_failed';
    record.failure = {
      code: first.refused.length ? 'UNSAFE_PATH' : 'INVALID_INPUT',
      message: `the model's edits could not be applied after ${first.rounds} round(s): ${first.errors.slice(-3).join(' | ')}`,
    };
    return '';
  }
  let patch = deps.tree.patch();
  if (!patch) {
    record.status = 'no_changes';
    record.failure = { code: 'INVALID_INPUT', message: 'the model proposed no change to any file' };
    return '';
  }

  let results = await deps.runChecks(options.checks, deps.tree.root);
  for (let round = 0; round < (options.fixupRounds ?? 1) && results.some((r) => !r.passed); round++) {
    record.checks.fixup_round = true;
    deps.log.warning(`checks failed; fix-up round ${round + 1}`);
    const fixed = await fixup(options, deps, record, ctx.command, patch, results, complete);
    if (fixed) patch = deps.tree.patch();
    results = await deps.runChecks(options.checks, deps.tree.root);
  }
  record.checks.results = results;
  record.files = deps.tree.changes().map((c) => ({
    path: c.path,
    status: c.before === undefined ? 'added' : c.after === null ? 'removed' : 'modified',
  }));
  if (results.some((r) => !r.passed)) {
    record.status = 'checks_failed';
    record.failure = {
      code: 'CHECKS_FAILED',
      message: `checks still fail after the fix-up round: ${results
        .filter((r) => !r.passed)
        .map((r) => r.name)
        .join(', ')}`,
    };
    return patch;
  }
  const gate = deps.gate ? await deps.gate(patch) : undefined;
  if (gate)
    record.policy_preview = {
      allow: gate.decision.allow,
      deny: gate.decision.deny,
      warn: gate.decision.warn,
    };
  record.review = options.review
    ? await review(deps, record, ctx.command, patch, results, gate, complete)
    : { skipped: 'disabled by configuration' };
  record.status = 'ready';
  return patch;
}

async function fixup(
  options: GenerateOptions,
  deps: GenerateDeps,
  record: CodegenRecord,
  command: string,
  patch: string,
  results: CheckResult[],
  complete: (call: LlmCall) => Promise<CallResult>,
): Promise<boolean> {
  const template = deps.templates.get('fix_failing_checks');
  if (!template) return false;
  const changed = new Map(
    deps.tree
      .changes()
      .filter((c) => c.after !== null)
      .map((c) => [c.path, c.after as string]),
  );
  // Changed files and tool output are redacted like the first context: they go to the same provider.
  const safe = await redactSecrets(
    new Map([...changed, ['(diff)', patch], ['(checks)', failingOutput(results)]]),
    deps.scanner,
  );
  record.context.redactions.push(...safe.redactions);
  const files = [...changed.keys()].map((p) => fenceFile(p, safe.texts.get(p)!)).join('\n\n');
  const rendered = renderTemplate(template, {
    command,
    diff: safe.texts.get('(diff)')!,
    check_output: safe.texts.get('(checks)')!,
    files,
    edit_rules: editRules(template.edit_format),
  });
  const turn = await editWithReflection(
    {
      template: template.name,
      system: rendered.system,
      messages: [{ role: 'user', content: rendered.user }],
      maxOutputTokens: template.max_output_tokens,
    },
    { complete, tree: deps.tree, log: deps.log },
    options.maxReflections ?? 2,
  );
  record.edits.rounds += turn.rounds;
  record.edits.reflection_errors.push(...turn.errors.map((e) => `fix-up ${e}`));
  record.edits.refused_paths.push(...turn.refused);
  return turn.applied;
}

async function review(
  deps: GenerateDeps,
  record: CodegenRecord,
  command: string,
  patch: string,
  results: CheckResult[],
  gate: GateResult | undefined,
  complete: (call: LlmCall) => Promise<CallResult>,
): Promise<CodegenRecord['review']> {
  const template = deps.templates.get('review_change');
  if (!template) return { skipped: 'no review_change template' };
  const findings = gate
    ? [
        ...gate.decision.deny.map((v) => `deny ${v.rule}: ${v.message}`),
        ...gate.decision.warn.map((v) => `warn ${v.rule}: ${v.message}`),
      ].join('\n') || 'none'
    : 'not evaluated';
  const safeDiff = (await redactSecrets(new Map([['(diff)', patch]]), deps.scanner)).texts.get('(diff)')!;
  const rendered = renderTemplate(template, {
    command,
    diff: safeDiff,
    policy_findings: findings,
    check_results:
      results.map((r) => `${r.name}: ${r.passed ? 'passed' : `failed (exit ${r.exitCode})`}`).join('\n') ||
      'no checks configured',
  });
  try {
    const reply = await complete({
      template: template.name,
      system: rendered.system,
      messages: [{ role: 'user', content: rendered.user }],
      maxOutputTokens: template.max_output_tokens,
    });
    return parseReview(reply.text, reply.provider, reply.model);
  } catch (err) {
    // A review that cannot run (budget, providers down) is reported, not fatal: checks and policy still gate.
    const e = toAutocodeError(err);
    deps.log.warning(`review skipped: ${e.message}`);
    return { skipped: `${e.code}: ${e.message}` };
  }
}
