import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FsResponseCache, publish } from '@autocode/action-codegen';
import { silentLogger } from '@autocode/toolkit';
import type { LlmRule } from '@autocode/sandbox';
import { CHECKS, OWNER, runCodegen, serviceFiles, startWorld } from './harness.js';
import type { World } from './harness.js';
import { APPROVE, BROKEN_ENDPOINT, FAILED_FIXUP, GOOD_ENDPOINT, HOSTILE, MALFORMED } from './replies.js';

// Assembled at run time so this file carries no scannable token.
const SECRET = ['ghp_', 'R8sT1vW3zA6cE0gJ5hK2dF9x7Yb2Qk9LmN4p'].join('');
const COMMAND = 'Generate API endpoint for user management';

let world: World;
let repos = 0;

async function newRepo(
  extra: Record<string, string | { content: string; mode: '120000' }> = {},
): Promise<string> {
  const name = `service-${++repos}`;
  await world.forge.createRepo(OWNER, name, { files: { ...serviceFiles(SECRET), ...extra } });
  return name;
}

const rules = (...list: LlmRule[]) =>
  world.llm.setRules([...list, { match: { templateName: 'review_change' }, reply: APPROVE }]);
const writes = () => world.forge.countsByRoute({ writesOnly: true, kind: 'api' });

beforeAll(async () => {
  world = await startWorld();
});
afterAll(() => world.stop());
beforeEach(() => {
  world.llm.reset();
  world.edge.killed = false;
  world.edge.events.length = 0;
  world.forge.clearRequests();
});

describe('codegen end to end (sandbox forge + LLM server, real SDKs)', () => {
  it('opens a draft PR with one Verified commit, labels, reviewers and a complete body', async () => {
    const repo = await newRepo();
    rules({ match: { templateName: 'generate_api_endpoint' }, reply: GOOD_ENDPOINT });
    const out = await runCodegen(world, { repo, command: COMMAND, checks: CHECKS });
    expect(out.error).toBeUndefined();
    expect(out.generated!.record.status).toBe('ready');
    const { pr, commit, branch } = out.published!;
    expect(branch).toMatch(/^automation\/cp-api-endpoint-user-\d{14}$/);
    expect(commit.verified).toBe(true);

    const { data: pull } = await world.app.rest.pulls.get({ owner: OWNER, repo, pull_number: pr.number });
    expect(pull.draft).toBe(true);
    expect(pull.labels.map((l) => l.name).sort()).toEqual(['autocode', 'autocode:llm', 'codegen']);
    expect(pull.requested_reviewers?.map((u) => u.login)).toEqual(['bob']);
    const { data: commits } = await world.app.rest.pulls.listCommits({
      owner: OWNER,
      repo,
      pull_number: pr.number,
    });
    expect(commits).toHaveLength(1);
    expect(commits[0]!.commit.verification?.verified).toBe(true);
    for (const needle of [
      'Requested-by: @alice',
      COMMAND,
      '`generate_api_endpoint` (keywords: api, endpoint)',
      'primary / `gpt-5.4`',
      out.generated!.record.llm.prompt_hash!,
      'Tokens',
      'Cost',
      'unit tests',
      '✅ passed',
      'Decision: **allow**',
      'Verdict: **approve**',
      'artifacts/',
    ]) {
      expect(pull.body).toContain(needle);
    }
    expect(world.edge.events.map((e) => e.event.type)).toEqual(['running', 'pr_opened']);
    expect(world.edge.events[1]!.event).toMatchObject({
      pr_number: pr.number,
      usage: { cost_usd: expect.any(Number) },
    });
  });

  it('a rerun of publish converges: same branch and commit, the PR updated, no new commit or PR', async () => {
    const repo = await newRepo();
    rules({ match: { templateName: 'generate_api_endpoint' }, reply: GOOD_ENDPOINT });
    const out = await runCodegen(world, { repo, command: COMMAND, checks: CHECKS });
    world.forge.clearRequests();
    const again = await publish(
      out.generated!.record,
      out.generated!.patch,
      out.gate!.decision,
      { owner: OWNER, repo, labels: ['codegen'], reviewers: ['bob'], teamReviewers: [] },
      { github: world.app, edge: world.edge.client, log: silentLogger },
    );
    expect(again.commit.sha).toBe(out.published!.commit.sha);
    expect(again.pr).toMatchObject({ number: out.published!.pr.number, created: false });
    const w = writes();
    expect(w['POST /repos/{owner}/{repo}/git/commits']).toBeUndefined();
    expect(w['POST /repos/{owner}/{repo}/pulls']).toBeUndefined();
  });

  it('never lets the planted secret reach the LLM server, and says it redacted it', async () => {
    const repo = await newRepo();
    rules({ match: { templateName: 'generate_api_endpoint' }, reply: GOOD_ENDPOINT });
    const out = await runCodegen(world, {
      repo,
      command: `${COMMAND}; the config token is ${SECRET}`,
      checks: CHECKS,
    });
    expect(world.llm.requests.length).toBeGreaterThan(0);
    expect(JSON.stringify(world.llm.requests.map((r) => r.body))).not.toContain(SECRET);
    expect(JSON.stringify(world.llm.requests.map((r) => r.body))).toContain('[REDACTED:');
    expect(out.generated!.record.context.redactions.map((r) => r.path)).toEqual(
      expect.arrayContaining(['(command)', 'src/config.js']),
    );
  });

  it('opens an issue with the failing output and no PR when checks still fail after the fix-up round', async () => {
    const repo = await newRepo();
    rules(
      { match: { templateName: 'generate_api_endpoint' }, reply: BROKEN_ENDPOINT },
      { match: { templateName: 'fix_failing_checks' }, reply: FAILED_FIXUP },
    );
    const out = await runCodegen(world, { repo, command: COMMAND, checks: CHECKS });
    const { record } = out.generated!;
    expect(record.status).toBe('checks_failed');
    expect(record.checks.fixup_round).toBe(true);
    expect(world.llm.requests.map((r) => r.templateName)).toEqual([
      'generate_api_endpoint',
      'fix_failing_checks',
    ]);
    // The fix-up prompt carried the failing output.
    expect(JSON.stringify(world.llm.requests[1]!.body)).toContain('creates a user and validates the name');
    const { data: pulls } = await world.app.rest.pulls.list({ owner: OWNER, repo, state: 'all' });
    expect(pulls).toHaveLength(0);
    const { data: issue } = await world.app.rest.issues.get({
      owner: OWNER,
      repo,
      issue_number: out.issue!.number,
    });
    expect(issue.title).toContain('autocode codegen failed');
    expect(issue.body).toContain('## Failing output');
    expect(issue.body).toMatch(/202|AssertionError/);
    expect(world.edge.events.map((e) => e.event.type)).toEqual(['running', 'failed']);
  });

  it('feeds malformed output back to the model and applies the corrected reply', async () => {
    const repo = await newRepo();
    rules(
      { match: { templateName: 'generate_api_endpoint' }, reply: MALFORMED, times: 1 },
      { match: { templateName: 'generate_api_endpoint' }, reply: GOOD_ENDPOINT },
    );
    const out = await runCodegen(world, { repo, command: COMMAND, checks: CHECKS });
    expect(out.generated!.record.edits.rounds).toBe(2);
    expect(out.generated!.record.edits.reflection_errors[0]).toMatch(/names no file/);
    const second = world.llm.requests.find((r, i) => i === 1 && r.templateName === 'generate_api_endpoint');
    expect(JSON.stringify(second!.body)).toContain('None of your edits were applied');
    expect(out.published!.pr.created).toBe(true);
  });

  it('fails over to the next provider when the first is slower than the latency threshold', async () => {
    const repo = await newRepo();
    rules({ match: { templateName: 'generate_api_endpoint' }, reply: GOOD_ENDPOINT });
    world.llm.faults.add({ kind: 'latency', provider: 'openai', ms: 3000 });
    const out = await runCodegen(world, {
      repo,
      command: COMMAND,
      checks: CHECKS,
      router: { latencyThresholdMs: 300 },
    });
    const { record } = out.generated!;
    expect(record.llm.provider).toBe('fallback');
    expect(record.llm.calls[0]!.attempts[0]!.outcome).toMatch(/^latency/);
    expect(out.published).toBeDefined();
    const { data: pull } = await world.app.rest.pulls.get({
      owner: OWNER,
      repo,
      pull_number: out.published!.pr.number,
    });
    expect(pull.body).toContain('fallback / `claude-sonnet-4-6`');
  });

  it('refuses a call over budget before contacting any provider, and reports it', async () => {
    const repo = await newRepo();
    rules({ match: { templateName: 'generate_api_endpoint' }, reply: GOOD_ENDPOINT });
    const out = await runCodegen(world, {
      repo,
      command: COMMAND,
      checks: CHECKS,
      budget: { maxCostUsd: 0.0001 },
    });
    expect(world.llm.requests).toHaveLength(0);
    expect(out.generated!.record).toMatchObject({ status: 'failed', failure: { code: 'POLICY_DENIED' } });
    expect(out.generated!.record.failure!.message).toMatch(/LLM budget/);
    const { data: issue } = await world.app.rest.issues.get({
      owner: OWNER,
      repo,
      issue_number: out.issue!.number,
    });
    expect(issue.body).toContain('LLM budget');
  });

  it('serves a rerun from the response cache with zero tokens', async () => {
    const cache = new FsResponseCache(mkdtempSync(join(tmpdir(), 'codegen-cache-')));
    const repo = await newRepo();
    rules({ match: { templateName: 'generate_api_endpoint' }, reply: GOOD_ENDPOINT });
    await runCodegen(world, { repo, command: COMMAND, checks: CHECKS, cache, review: false });
    const sent = world.llm.requests.length;
    const again = await runCodegen(world, { repo, command: COMMAND, checks: CHECKS, cache, review: false });
    expect(world.llm.requests.length).toBe(sent);
    expect(again.generated!.record.llm.totals).toMatchObject({
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      cacheHits: 1,
    });
    expect(again.generated!.record.llm.calls[0]!.cached).toBe(true);
  });

  it('writes nothing at all while the kill switch is on', async () => {
    const repo = await newRepo();
    rules({ match: { templateName: 'generate_api_endpoint' }, reply: GOOD_ENDPOINT });
    world.edge.killed = true;
    const out = await runCodegen(world, { repo, command: COMMAND, checks: CHECKS });
    expect(out.error).toMatchObject({ code: 'KILL_SWITCH_ACTIVE' });
    expect(world.llm.requests).toHaveLength(0);
    expect(writes()).toEqual({});
    expect(world.edge.events).toHaveLength(0);
  });

  it('stops publishing when the kill switch trips after generate: no branch, commit, PR or issue', async () => {
    const repo = await newRepo();
    rules({ match: { templateName: 'generate_api_endpoint' }, reply: GOOD_ENDPOINT });
    const out = await runCodegen(world, { repo, command: COMMAND, checks: CHECKS, killBeforePublish: true });
    expect(out.error).toMatchObject({ code: 'KILL_SWITCH_ACTIVE' });
    expect(writes()).toEqual({});
  });

  it('refuses hostile paths (.., .git/, symlink escape) and writes nothing outside the repository', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'codegen-outside-'));
    const repo = await newRepo({ link: { content: outside, mode: '120000' } });
    rules({ match: { templateName: 'generate_api_endpoint' }, reply: HOSTILE });
    const out = await runCodegen(world, { repo, command: COMMAND, checks: CHECKS });
    const { record } = out.generated!;
    expect(record.status).toBe('edits_failed');
    expect(record.failure!.code).toBe('UNSAFE_PATH');
    expect(new Set(record.edits.refused_paths)).toEqual(
      new Set(['../outside.txt', '.git/hooks/post-checkout', 'link/evil.sh']),
    );
    expect(world.llm.requests).toHaveLength(3); // the first reply + 2 reflection rounds
    expect(existsSync(join(outside, 'evil.sh'))).toBe(false);
    const { data: pulls } = await world.app.rest.pulls.list({ owner: OWNER, repo, state: 'all' });
    expect(pulls).toHaveLength(0);
    expect(out.issue).toBeDefined();
  });
});
