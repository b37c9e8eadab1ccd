import { describe, expect, it } from '@jest/globals';
import { defaultScanner, loadPolicyEngine } from '@autocode/policies/node';
import { recordInputReader } from '@autocode/toolkit';
import { parseChecks, readStepOptions } from './action/options.js';
import { parseCodegenConfig, parseProviders, resolveProviders } from './config.js';
import { createPatch } from './edits/patch.js';
import { evaluateGate } from './gate.js';
import { Budget } from './llm/budget.js';
import { failureBody, prBody } from './publish/body.js';
import type { CodegenRecord } from './record.js';
import { branchName, componentOf } from './record.js';
import { parseReview } from './review.js';

const record: CodegenRecord = {
  version: 1,
  id: 'r1',
  repository: 'acme/service',
  base: { ref: 'main', sha: 'abcdef1234567' },
  command: 'Generate API endpoint for user management',
  requester: 'alice',
  component: 'api-endpoint-user',
  branch: 'automation/cp-api-endpoint-user-20260102030405',
  created_at: '2026-01-02T03:04:05.000Z',
  template: { name: 'generate_api_endpoint', reason: 'keywords: api, endpoint' },
  llm: {
    calls: [],
    totals: new Budget({}).totals(),
    prompt_hash: 'sha256:00',
    provider: 'primary',
    model: 'gpt-5.4',
  },
  context: {
    files_considered: 3,
    included: ['src/users.js'],
    omitted: [],
    redactions: [{ path: 'src/config.js', line: 4, rule: 'secretlint/github' }],
    tokens: { map: 10, files: 90 },
    sanitized: { invisible: 1, comments: 0 },
  },
  edits: { rounds: 1, reflection_errors: [], refused_paths: [] },
  checks: {
    network: 'isolated',
    notes: [],
    fixup_round: false,
    results: [
      {
        name: 'unit',
        command: 'npm test',
        passed: false,
        exitCode: 1,
        timedOut: false,
        durationMs: 1200,
        output: 'boom ``` fence',
      },
    ],
  },
  files: [],
  status: 'checks_failed',
};

describe('small cores', () => {
  it('names branches automation/cp-<component>-<UTC timestamp> and slugs components', () => {
    expect(branchName('users', new Date(Date.UTC(2026, 0, 2, 3, 4, 5)))).toBe(
      'automation/cp-users-20260102030405',
    );
    expect(componentOf('Generate API endpoint for user management')).toBe('api-endpoint-user');
    expect(componentOf('x', 'Billing Service!')).toBe('billing-service');
    expect(componentOf('!!!')).toBe('change');
  });

  it('parses a review verdict, and treats an unreadable one as a comment', () => {
    expect(
      parseReview('VERDICT: request_changes\nCONCERNS:\n- no tests\n- none\nSUMMARY: needs tests', 'p', 'm'),
    ).toMatchObject({ verdict: 'request_changes', concerns: ['no tests'], summary: 'needs tests' });
    expect(parseReview('looks fine to me', 'p', 'm')).toMatchObject({
      verdict: 'comment',
      summary: 'looks fine to me',
    });
  });

  it('renders the PR body with the requester line the merge policy reads, and a failure issue with fenced output', () => {
    const body = prBody(
      record,
      { allow: true, deny: [], warn: [{ rule: 'no-secrets', message: 'entropy', path: 'a', line: 1 }] },
      'https://x/artifacts/1',
    );
    expect(body).toMatch(/^Requested-by: @alice$/m);
    expect(body).toContain('src/config.js:4 (secretlint/github)');
    expect(body).toContain('[patch, record and logs](https://x/artifacts/1)');
    const issue = failureBody({ id: 'r1', record, reason: 'checks failed', output: 'boom ``` fence' });
    expect(issue).toContain('````text\nboom ``` fence\n````');
  });

  it('reads checks, providers and the repo config, naming bad input', () => {
    expect(parseChecks(['unit tests: npm test', 'ruff check .'])).toEqual([
      { name: 'unit tests', run: 'npm test' },
      { name: 'ruff check', run: 'ruff check .' },
    ]);
    const providers = parseProviders(
      '- { name: a, kind: openai, model: gpt-5.4 }\n- { name: b, kind: anthropic, model: claude-sonnet-4-6, api_key_env: MY_KEY }',
    );
    expect(
      resolveProviders(providers, { OPENAI_API_KEY: 'k1', MY_KEY: 'k2' }, () => undefined).map(
        (p) => p.apiKey,
      ),
    ).toEqual(['k1', 'k2']);
    expect(() => parseProviders('- { name: a, kind: nope, model: x }')).toThrow(
      expect.objectContaining({ code: 'CONFIG_INVALID' }),
    );
    expect(
      parseCodegenConfig('checks:\n  - { name: t, run: npm test }\nbudget: { max_cost_usd: 0.5 }\n').budget,
    ).toEqual({ max_cost_usd: 0.5 });
    expect(() => parseCodegenConfig('reviewers: [not a login!]\n')).toThrow(/reviewers/);
    const opts = readStepOptions(recordInputReader({ mode: 'gate', 'max-cost-usd': '0.25' }, 'input'), {
      GITHUB_REPOSITORY: 'acme/service',
    });
    expect(opts).toMatchObject({
      mode: 'gate',
      owner: 'acme',
      repo: 'service',
      maxCostUsd: 0.25,
      checkTimeoutMs: 600_000,
      checkMemoryBytes: 2 * 1024 ** 3,
    });
    expect(() =>
      readStepOptions(recordInputReader({ mode: 'generate' }, 'input'), {
        GITHUB_REPOSITORY: 'acme/service',
      }),
    ).toThrow(/command/);
  });

  it('the gate denies edits to protected paths and to the files that steer autocode, and secrets in the patch', async () => {
    const engine = await loadPolicyEngine();
    const deps = { engine, scanner: defaultScanner() };
    const opts = { repository: 'acme/service', baseRef: 'main', requester: 'alice' };
    const ok = await evaluateGate(
      createPatch([{ path: 'src/a.js', before: 'a\n', after: 'b\n' }]),
      opts,
      deps,
    );
    expect(ok.decision.allow).toBe(true);
    expect(ok.facts.origin).toBe('llm');
    const self = await evaluateGate(
      createPatch([{ path: '.github/autocode-policy.yaml', before: 'a: 1\n', after: 'a: 2\n' }]),
      opts,
      deps,
    );
    expect(self.decision.deny.map((d) => d.rule)).toContain('protected-paths');
    const token = ['ghp_', 'R8sT1vW3zA6cE0gJ5hK2dF9x7Yb2Qk9LmN4p'].join('');
    const leak = await evaluateGate(
      createPatch([{ path: 'src/b.js', before: undefined, after: `export const t = '${token}';\n` }]),
      opts,
      deps,
    );
    expect(leak.decision.deny.map((d) => d.rule)).toContain('no-secrets');
  });
});
