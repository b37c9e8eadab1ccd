/**
 * End-to-end harness for codegen: the sandbox forge (real git over smart HTTP, App → installation tokens,
 * Verified Git Data commits), the sandbox LLM server behind the real `openai` / `@anthropic-ai/sdk` clients,
 * a loopback edge stand-in (kill switch + job events), and the three workflow jobs run as the workflow runs
 * them: generate on a read-only checkout, gate on the patch, publish (or the failure path) with the App.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGitHubClient, EdgeClient, silentLogger } from '@autocode/toolkit';
import type { GitHubClient, JobEvent } from '@autocode/toolkit';
import { startForge, startLlmServer } from '@autocode/sandbox';
import type { Forge, LlmServer } from '@autocode/sandbox';
import { defaultScanner, loadPolicyEngine } from '@autocode/policies/node';
import type { PolicyEngine } from '@autocode/policies';
import {
  Budget,
  checkoutRepo,
  createCheckRunner,
  createProvider,
  evaluateGate,
  generate,
  listRepoFiles,
  LlmRouter,
  loadTemplates,
  loadTokenCounter,
  probeSandbox,
  publish,
  reportFailure,
  WorkingTree,
} from '@autocode/action-codegen';
import type {
  CheckCommand,
  GenerateOptions,
  GateResult,
  GenerateResult,
  ResponseCache,
  RouterOptions,
} from '@autocode/action-codegen';
import { startLoopback, json } from '../../actions/toolkit/src/test-support/loopback.js';
import type { LoopbackServer } from '../../actions/toolkit/src/test-support/loopback.js';

export const PROMPTS = fileURLToPath(new URL('../../prompts', import.meta.url));
export const OWNER = 'acme';
export const REPO = 'service';

export interface Edge {
  server: LoopbackServer;
  killed: boolean;
  events: { jobId: string; event: JobEvent }[];
  client: EdgeClient;
}

export async function startEdge(): Promise<Edge> {
  const server = await startLoopback();
  const edge: Edge = {
    server,
    killed: false,
    events: [],
    client: new EdgeClient({ baseUrl: server.url, getToken: async () => 'oidc-token', retries: 0 }),
  };
  server.handle((req, res) => {
    if (req.method === 'GET' && req.url === '/v1/killswitch') {
      return json(res, 200, edge.killed ? { active: true, reason: 'incident drill' } : { active: false });
    }
    const m = /^\/v1\/jobs\/([^/]+)\/events$/.exec(req.url);
    if (req.method === 'POST' && m) {
      edge.events.push({ jobId: decodeURIComponent(m[1]!), event: JSON.parse(req.body) as JobEvent });
      return json(res, 202, { ok: true });
    }
    return json(res, 404, { error: { code: 'NOT_FOUND', message: req.url } });
  });
  return edge;
}

/** The App as the publish job holds it: the toolkit's client, no write spacing (tests must not sleep). */
export function appClient(forge: Forge): GitHubClient {
  const { appId, privateKey, installationId } = forge.app;
  return createGitHubClient({
    auth: { kind: 'app', appId, privateKey, installationId },
    baseUrl: forge.apiUrl,
    writeSpacingMs: 0,
    retryAfterBaseValueMs: 10,
  });
}

export interface World {
  forge: Forge;
  llm: LlmServer;
  edge: Edge;
  app: GitHubClient;
  engine: PolicyEngine;
  stop(): Promise<void>;
}

export async function startWorld(): Promise<World> {
  const [forge, llm, edge, engine] = await Promise.all([
    startForge(),
    startLlmServer(),
    startEdge(),
    loadPolicyEngine(),
  ]);
  await loadTokenCounter();
  // A reviewer who can be requested (an org member, so a collaborator on every org repository).
  forge.createUser('bob', { orgs: [OWNER] });
  const app = appClient(forge);
  return {
    forge,
    llm,
    edge,
    app,
    engine,
    stop: async () => {
      await Promise.all([forge.stop(), llm.stop(), edge.server.close()]);
    },
  };
}

export interface RunOptions {
  repo?: string;
  owner?: string;
  /** Edge job id (default one per run; null for none). */
  jobId?: string | null;
  /** Runs between gate and publish (e.g. trip the kill switch). */
  beforePublish?: () => Promise<void>;
  command: string;
  template?: string;
  checks?: CheckCommand[];
  providers?: ('openai' | 'anthropic')[];
  budget?: { maxTokens?: number; maxCostUsd?: number };
  cache?: ResponseCache;
  router?: Partial<RouterOptions>;
  review?: boolean;
  labels?: string[];
  reviewers?: string[];
  /** Flip the kill switch on between generate and publish. */
  killBeforePublish?: boolean;
}

export interface RunOutcome {
  generated?: GenerateResult;
  gate?: GateResult;
  published?: Awaited<ReturnType<typeof publish>>;
  issue?: Awaited<ReturnType<typeof reportFailure>>;
  error?: unknown;
  timings: { generateMs: number; llmMs: number; gateMs: number; publishMs: number };
}

let runs = 0;

/** Run generate → gate → publish | failure the way codegen.yml does, with fresh adapters per job. */
export async function runCodegen(world: World, opts: RunOptions): Promise<RunOutcome> {
  const repo = opts.repo ?? REPO;
  const owner = opts.owner ?? OWNER;
  const id = `run-${++runs}`;
  const timings = { generateMs: 0, llmMs: 0, gateMs: 0, publishMs: 0 };
  const out: RunOutcome = { timings };
  const artifactUrl = `${world.forge.url}/${owner}/${repo}/actions/runs/${runs}/artifacts/${runs}`;
  try {
    // generate: a read-only installation token for the checkout; no write credential in this job.
    const readToken = world.forge.tokenForInstallation(undefined, { permissions: { contents: 'read' } });
    const dir = mkdtempSync(join(tmpdir(), 'codegen-e2e-'));
    const t0 = performance.now();
    const { sha } = await checkoutRepo({
      url: `${world.forge.url}/${owner}/${repo}.git`,
      token: readToken,
      ref: 'main',
      dir,
    });
    const budget = new Budget(opts.budget ?? {});
    const kinds = opts.providers ?? ['openai', 'anthropic'];
    const router = new LlmRouter({
      providers: kinds.map((k) =>
        k === 'openai'
          ? createProvider({
              name: 'primary',
              kind: 'openai',
              model: 'gpt-5.4',
              baseUrl: world.llm.openaiBaseUrl,
              apiKey: world.llm.apiKeys.openai,
            })
          : createProvider({
              name: 'fallback',
              kind: 'anthropic',
              model: 'claude-sonnet-4-6',
              baseUrl: world.llm.anthropicBaseUrl,
              apiKey: world.llm.apiKeys.anthropic,
            }),
      ),
      budget,
      counter: await loadTokenCounter(),
      ...(opts.cache ? { cache: opts.cache } : {}),
      sleep: async () => undefined,
      ...opts.router,
    });
    const llm = {
      complete: async (call: Parameters<LlmRouter['complete']>[0]) => {
        const s = performance.now();
        try {
          return await router.complete(call);
        } finally {
          timings.llmMs += performance.now() - s;
        }
      },
    };
    const scanner = defaultScanner();
    const generateOptions: GenerateOptions = {
      id,
      ...(opts.jobId === null ? {} : { jobId: opts.jobId ?? `job-${id}` }),
      repository: `${owner}/${repo}`,
      baseRef: 'main',
      baseSha: sha,
      command: opts.command,
      requester: 'alice',
      ...(opts.template ? { template: opts.template } : {}),
      runUrl: `${world.forge.url}/${owner}/${repo}/actions/runs/${runs}`,
      checks: opts.checks ?? [],
      review: opts.review ?? true,
      contextTokens: 8000,
    };
    out.generated = await generate(generateOptions, {
      tree: new WorkingTree(dir),
      listFiles: () => listRepoFiles(dir),
      templates: loadTemplates(PROMPTS),
      llm,
      budget,
      counter: await loadTokenCounter(),
      scanner,
      runChecks: createCheckRunner({ plan: probeSandbox(), log: silentLogger, echo: false }),
      sandbox: probeSandbox(),
      gate: (patch) =>
        evaluateGate(
          patch,
          { repository: `${owner}/${repo}`, baseRef: 'main', requester: 'alice' },
          { engine: world.engine, scanner },
        ),
      edge: world.edge.client,
      log: silentLogger,
      now: () => new Date(Date.UTC(2026, 0, 2, 3, 4, 5 + runs)),
    });
    timings.generateMs = performance.now() - t0;
    const { record, patch } = out.generated;
    // gate: re-scan the patch with the full scanner, config from the base (none here: defaults).
    const t1 = performance.now();
    if (record.status === 'ready') {
      out.gate = await evaluateGate(
        patch,
        { repository: `${owner}/${repo}`, baseRef: 'main', requester: record.requester },
        { engine: world.engine, scanner },
      );
    }
    timings.gateMs = performance.now() - t1;
    if (opts.killBeforePublish) world.edge.killed = true;
    await opts.beforePublish?.();
    // publish or the failure path: the App's token.
    const t2 = performance.now();
    if (record.status === 'ready' && out.gate?.decision.allow) {
      out.published = await publish(
        record,
        patch,
        out.gate.decision,
        {
          owner,
          repo,
          labels: opts.labels ?? ['codegen'],
          reviewers: opts.reviewers ?? ['bob'],
          teamReviewers: [],
          artifactUrl,
        },
        { github: world.app, edge: world.edge.client, log: silentLogger },
      );
    } else {
      const failing = record.checks.results
        .filter((r) => !r.passed)
        .map((r) => r.output)
        .join('\n');
      out.issue = await reportFailure(
        {
          id,
          record,
          reason: record.failure?.message ?? 'the policy gate denied the change',
          output: failing,
          ...(out.gate ? { decision: out.gate.decision } : {}),
          artifactUrl,
        },
        { owner, repo, labels: ['codegen'] },
        { github: world.app, edge: world.edge.client, log: silentLogger },
      );
    }
    timings.publishMs = performance.now() - t2;
  } catch (err) {
    out.error = err;
  }
  return out;
}

/** A small Node service: an Express-free router, one test, and a config file holding a live-looking secret. */
export function serviceFiles(secret: string): Record<string, string> {
  return {
    'README.md': '# service\n\nA tiny HTTP service.\n',
    'src/router.js':
      'export const routes = new Map();\nexport function route(method, path, handler) {\n  routes.set(`${method} ${path}`, handler);\n}\n',
    'src/users.js':
      "import { route } from './router.js';\n\nexport const users = [{ id: 1, name: 'Ada' }];\n\nroute('GET', '/users', () => ({ status: 200, body: users }));\n",
    'src/config.js': `export const config = {\n  port: 8080,\n  // user service token\n  githubToken: '${secret}',\n};\n`,
    'test/users.test.js':
      "import { test } from 'node:test';\nimport assert from 'node:assert';\nimport { routes } from '../src/router.js';\nimport '../src/users.js';\n\ntest('lists users', () => {\n  assert.equal(routes.get('GET /users')().status, 200);\n});\n",
    'package.json': '{ "name": "service", "type": "module", "private": true }\n',
  };
}

export const CHECKS: CheckCommand[] = [{ name: 'unit tests', run: 'node --test test/' }];
