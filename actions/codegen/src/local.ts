/**
 * Codegen on a local directory, without GitHub (the CLI): the repository is copied to a scratch workspace
 * (the original is never modified), generate runs there with the same cores as the workflow, the policy gate
 * previews the decision, and the patch, record, and a report (the PR body that would be opened) are written
 * to an output folder. `dryRun` stops before the first model call: it writes the rendered, redacted prompt
 * and the token/cost estimate instead.
 */
import { execFileSync } from 'node:child_process';
import {
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { Logger } from '@autocode/toolkit';
import type { PolicyConfig } from '@autocode/policies';
import { defaultScanner, loadPolicyEngine, parsePolicyConfig } from '@autocode/policies/node';
import type { CheckCommand } from './checks/run.js';
import { createCheckRunner, probeSandbox } from './checks/run.js';
import type { CodegenConfig } from './config.js';
import { CODEGEN_CONFIG_FILE, parseCodegenConfig } from './config.js';
import { gatherContext } from './context/index.js';
import { listRepoFiles } from './context/files.js';
import { WorkingTree } from './edits/workspace.js';
import { evaluateGate } from './gate.js';
import { generate } from './generate.js';
import type { Budget } from './llm/budget.js';
import { priceFor } from './llm/budget.js';
import { FsResponseCache } from './llm/cache.js';
import type { ProviderConfig } from './llm/providers.js';
import { createProvider } from './llm/providers.js';
import { LlmRouter } from './llm/router.js';
import { loadTokenCounter } from './llm/tokens.js';
import { editRules } from './prompts/edit-rules.js';
import { loadTemplates, renderTemplate, selectTemplate } from './prompts/templates.js';
import { prBody } from './publish/body.js';
import type { CodegenRecord } from './record.js';
import { sanitizeUserText } from './text/sanitize.js';

export interface LocalRunOptions {
  repo: string;
  command: string;
  template?: string;
  providers: ProviderConfig[];
  dryRun: boolean;
  out: string;
  promptsDir: string;
  budget: Budget;
  checks?: CheckCommand[];
  review?: boolean;
  contextTokens?: number;
  cacheDir?: string;
  requester: string;
  log: Logger;
  now: () => Date;
}

export interface LocalRunResult {
  out: string;
  record?: CodegenRecord;
  estimate?: { inputTokens: number; maxOutputTokens: number; worstCaseUsd: number };
}

/** Copy the repository (node_modules linked, not copied) so edits and checks never touch the original. */
function workspaceCopy(repo: string): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'autocode-codegen-')), basename(repo));
  cpSync(repo, dir, {
    recursive: true,
    verbatimSymlinks: true,
    filter: (src) => basename(src) !== 'node_modules',
  });
  if (existsSync(join(repo, 'node_modules')))
    symlinkSync(join(repo, 'node_modules'), join(dir, 'node_modules'));
  return dir;
}

function headOf(repo: string): string {
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], {
      cwd: repo,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return 'working-tree';
  }
}

function readIf<T>(file: string, parse: (text: string, file: string) => T): T | undefined {
  return existsSync(file) ? parse(readFileSync(file, 'utf8'), file) : undefined;
}

export async function runLocal(options: LocalRunOptions): Promise<LocalRunResult> {
  const repo = resolve(options.repo);
  if (!existsSync(repo))
    throw new AutocodeError(ErrorCodes.INVALID_INPUT, `--repo ${options.repo} does not exist`);
  const config: CodegenConfig = readIf(join(repo, CODEGEN_CONFIG_FILE), parseCodegenConfig) ?? {};
  const policy: PolicyConfig = readIf(join(repo, '.github/autocode-policy.yaml'), parsePolicyConfig) ?? {};
  mkdirSync(options.out, { recursive: true });
  const counter = await loadTokenCounter();
  const templates = loadTemplates(options.promptsDir);
  const scanner = defaultScanner();
  const contextTokens = options.contextTokens ?? config.context_tokens ?? 24_000;

  if (options.dryRun) {
    const command = sanitizeUserText(options.command).text;
    const choice = selectTemplate(templates, command, options.template);
    const tree = new WorkingTree(repo);
    const ctx = await gatherContext(
      choice.command,
      { listFiles: () => listRepoFiles(repo), read: (p) => tree.read(p), scanner, counter },
      { budgetTokens: contextTokens },
    );
    const rendered = renderTemplate(choice.template, {
      command: ctx.command,
      repo_map: ctx.repoMap,
      files: ctx.files || '(no file matched the command)',
      edit_rules: editRules(choice.template.edit_format),
      constraints: config.constraints ?? '',
    });
    const inputTokens = counter.count(rendered.system) + counter.count(rendered.user);
    const first = options.providers[0];
    const price = first ? priceFor(first.model, first.kind, config.prices) : { input: 0, output: 0 };
    const estimate = {
      inputTokens,
      maxOutputTokens: choice.template.max_output_tokens,
      worstCaseUsd: (inputTokens * price.input + choice.template.max_output_tokens * price.output) / 1e6,
    };
    writeFileSync(
      join(options.out, 'prompt.md'),
      `<!-- template: ${choice.template.name} (${choice.reason}) -->\n# system\n${rendered.system}\n\n# user\n${rendered.user}\n`,
    );
    writeFileSync(
      join(options.out, 'report.json'),
      `${JSON.stringify({ template: choice.template.name, reason: choice.reason, included: ctx.included, omitted: ctx.omitted, redactions: ctx.redactions, estimate }, null, 2)}\n`,
    );
    if (first)
      options.budget.check({
        inputTokens,
        maxOutputTokens: estimate.maxOutputTokens,
        price,
        model: first.model,
      });
    return { out: options.out, estimate };
  }

  if (options.providers.length === 0) {
    throw new AutocodeError(ErrorCodes.CONFIG_INVALID, 'no LLM provider is configured', {
      hint: 'add llm.providers to autocode.yaml, set AUTOCODE_LLM_PROVIDERS, or use --dry-run',
    });
  }
  const dir = workspaceCopy(repo);
  const router = new LlmRouter({
    providers: options.providers.map(createProvider),
    budget: options.budget,
    counter,
    ...(config.prices ? { prices: config.prices } : {}),
    ...(options.cacheDir ? { cache: new FsResponseCache(options.cacheDir) } : {}),
    log: options.log,
  });
  const engine = await loadPolicyEngine();
  const sandbox = probeSandbox();
  const gate = (patch: string) =>
    evaluateGate(
      patch,
      { repository: basename(repo), baseRef: 'HEAD', requester: options.requester, config: policy },
      { engine, scanner },
    );
  const { record, patch } = await generate(
    {
      id: `local-${options.now().getTime()}`,
      repository: basename(repo),
      baseRef: 'HEAD',
      baseSha: headOf(repo),
      command: options.command,
      requester: options.requester,
      ...(options.template ? { template: options.template } : {}),
      checks: options.checks ?? config.checks ?? [],
      review: options.review ?? config.review ?? true,
      contextTokens,
      ...(config.constraints ? { constraints: config.constraints } : {}),
    },
    {
      tree: new WorkingTree(dir),
      listFiles: () => listRepoFiles(dir),
      templates,
      llm: router,
      budget: options.budget,
      counter,
      scanner,
      runChecks: createCheckRunner({ plan: sandbox, log: options.log, echo: false }),
      sandbox,
      gate,
      log: options.log,
      now: options.now,
    },
  );
  const decision = record.status === 'ready' ? (await gate(patch)).decision : undefined;
  writeFileSync(join(options.out, 'patch.diff'), patch);
  writeFileSync(join(options.out, 'record.json'), `${JSON.stringify(record, null, 2)}\n`);
  writeFileSync(
    join(options.out, 'report.md'),
    prBody(record, decision ?? { allow: false, deny: [], warn: [] }),
  );
  return { out: options.out, record };
}
