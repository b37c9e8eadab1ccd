import { describe, expect, it } from '@jest/globals';
import { ALNUM, Fakes, p } from './testing/random.js';
import type { PullRequestData } from './pull-request.js';
import { approvalsOf, factsFromPullRequest, originOf, requesterOf } from './pull-request.js';
import { defaultScanner, loadPolicyEngine } from './node.js';

const f = new Fakes(5);
const HEAD = 'b'.repeat(40);
const OLD = 'a'.repeat(40);
const user = (login: string, type = 'User') => ({ login, type });

function pr(overrides: Partial<PullRequestData> = {}): PullRequestData {
  return {
    pull: {
      number: 7,
      user: user('autocode-app[bot]', 'Bot'),
      body: 'Adds retries.\n\nRequested-by: @carol\n',
      labels: [{ name: 'autocode:llm' }],
      head: { sha: HEAD },
      base: { ref: 'main', repo: { full_name: 'acme/platform' } },
    },
    files: [
      {
        filename: 'src/retry.ts',
        status: 'added',
        additions: 2,
        deletions: 0,
        changes: 2,
        patch: '@@ -0,0 +1,2 @@\n+export const tries = 3;\n+export const wait = 100;',
      },
      { filename: 'docs/diagram.png', status: 'added', additions: 0, deletions: 0, changes: 0 },
      {
        filename: 'src/new-name.ts',
        previous_filename: 'src/old-name.ts',
        status: 'renamed',
        additions: 0,
        deletions: 0,
        changes: 0,
      },
    ],
    commits: [{ sha: HEAD, commit: { verification: { verified: true, reason: 'valid' } } }],
    reviews: [
      { user: user('alice'), state: 'APPROVED', commit_id: HEAD },
      { user: user('renovate[bot]', 'Bot'), state: 'APPROVED', commit_id: HEAD },
    ],
    checkRuns: [{ name: 'CodeQL', head_sha: HEAD, conclusion: 'success' }],
    ...overrides,
  };
}

describe('facts from a pull request', () => {
  it('builds the slim input: origin, requester, files, binaries, approvals, checks', async () => {
    const input = await factsFromPullRequest(pr(), { scanner: defaultScanner() });
    expect(input).toMatchObject({
      operation: 'merge',
      repository: 'acme/platform',
      target: { ref: 'main' },
      change: { origin: 'llm', author: 'autocode-app[bot]', requester: 'carol', head_sha: HEAD },
      commits: [{ sha: HEAD, verified: true }],
      approvals: [
        { login: 'alice', commit_id: HEAD },
        { login: 'renovate[bot]', bot: true },
      ],
      checks: [{ name: 'CodeQL', head_sha: HEAD, conclusion: 'success' }],
    });
    expect(input.change!.files.map((x) => [x.path, x.status, x.binary])).toEqual([
      ['src/retry.ts', 'added', false],
      ['docs/diagram.png', 'added', true],
      ['src/new-name.ts', 'renamed', false],
    ]);
  });

  it('tracks each reviewer’s latest decisive review', () => {
    const approvals = approvalsOf([
      { user: user('alice'), state: 'APPROVED', commit_id: OLD },
      { user: user('alice'), state: 'COMMENTED', commit_id: HEAD },
      { user: user('bob'), state: 'APPROVED', commit_id: OLD },
      { user: user('bob'), state: 'CHANGES_REQUESTED', commit_id: HEAD },
      { user: user('dan'), state: 'APPROVED', commit_id: HEAD },
      { user: user('dan'), state: 'DISMISSED', commit_id: HEAD },
      { user: null, state: 'APPROVED', commit_id: HEAD },
    ]);
    expect(approvals).toEqual([{ login: 'alice', commit_id: OLD }]);
  });

  it('classifies origin by label, bot type and configured machine users', () => {
    const base = pr().pull;
    expect(originOf(base)).toBe('llm');
    expect(originOf({ ...base, labels: [] })).toBe('automation');
    expect(
      originOf({ ...base, labels: [], user: user('sync-user') }, { automationAuthors: ['Sync-User'] }),
    ).toBe('automation');
    expect(originOf({ ...base, labels: [], user: user('dave') })).toBe('human');
    expect(requesterOf('x\nRequested-by: bob\n')).toBe('bob');
    expect(requesterOf('no trailer')).toBeUndefined();
  });

  it('blocks a planted secret with a bot-only approval; passes the clean PR', async () => {
    const engine = await loadPolicyEngine();
    const clean = await factsFromPullRequest(pr({ files: [pr().files[0]!] }), { scanner: defaultScanner() });
    expect(engine.evaluate(clean)).toMatchObject({ allow: true });
    const secret = p('xox', 'b-', f.digits(12), '-', f.digits(13), '-', f.chars(ALNUM, 24));
    const dirty = pr({
      files: [
        {
          filename: 'src/notify.ts',
          status: 'added',
          additions: 1,
          deletions: 0,
          changes: 1,
          patch: `@@ -0,0 +1 @@\n+const slack = '${secret}';`,
        },
      ],
      reviews: [{ user: user('renovate[bot]', 'Bot'), state: 'APPROVED', commit_id: HEAD }],
    });
    const d = engine.evaluate(await factsFromPullRequest(dirty, { scanner: defaultScanner() }));
    expect(d.allow).toBe(false);
    expect(d.deny.map((v) => v.rule)).toEqual(['human-approvals', 'no-secrets']);
  });

  it('reports malformed GitHub patches by file', async () => {
    const bad = pr({
      files: [
        { filename: 'a.ts', status: 'modified', additions: 1, deletions: 0, changes: 1, patch: 'garbage' },
      ],
    });
    await expect(factsFromPullRequest(bad)).rejects.toThrow(/patch of a.ts line 1/);
  });
});
