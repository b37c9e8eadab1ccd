/** Representative policy inputs (with configs) shared by the engine tests, the workerd test and the benchmark. */
import type { PolicyConfig, PolicyInput } from '../types.js';

const HEAD = '9f2c1e7a4b8d3f6e0a1c5b7d9e2f4a6c8b0d1e3f';

/** A typical LLM-authored PR into main: 12 files, a few markers-free hunks, approved and checked. */
export function typicalPullRequest(): PolicyInput {
  const files = Array.from({ length: 12 }, (_, i) => ({
    path: `src/feature/module-${i}.ts`,
    status: i < 3 ? ('added' as const) : ('modified' as const),
    binary: false,
    additions: 20 + i,
    deletions: i,
  }));
  return {
    operation: 'merge',
    repository: 'acme/platform',
    target: { ref: 'main' },
    change: {
      origin: 'llm',
      author: 'autocode[bot]',
      requester: 'carol',
      head_sha: HEAD,
      files,
      totals: { files: 12, additions: 306, deletions: 66, bytes: 14_000 },
      markers: [],
      findings: [],
    },
    commits: [
      { sha: HEAD, verified: true, reason: 'valid' },
      { sha: '1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b', verified: true, reason: 'valid' },
    ],
    approvals: [
      { login: 'alice', commit_id: HEAD },
      { login: 'renovate[bot]', commit_id: HEAD, bot: true },
    ],
    checks: [
      { name: 'CodeQL', head_sha: HEAD, conclusion: 'success' },
      { name: 'build', head_sha: HEAD, conclusion: 'success' },
    ],
    kill_switch: { active: false },
  };
}

/** A cost operation proposed by alice and approved by the given admins. */
function costCase(name: string, admins: string[]): { name: string; input: PolicyInput } {
  const approvals = admins.map((login) => ({ login, admin: true }));
  return { name, input: { operation: 'cost', cost: { proposer: 'alice', approvals } } };
}

/** Named cases covering every rule's deny and warn paths. */
export function decisionCases(): { name: string; input: PolicyInput; config?: PolicyConfig }[] {
  const clean = typicalPullRequest();
  const change = clean.change!;
  return [
    { name: 'typical clean PR', input: clean },
    { name: 'empty write', input: { operation: 'write' } },
    {
      name: 'planted secret, bot-only approval',
      input: {
        ...clean,
        change: {
          ...change,
          findings: [
            {
              path: 'src/feature/module-1.ts',
              line: 12,
              rule: 'secretlint/github',
              kind: 'secret',
              description: 'GitHub token (github)',
              fingerprint: 'sha256:0123456789abcdef',
            },
            {
              path: 'src/feature/module-2.ts',
              line: 3,
              rule: 'entropy',
              kind: 'entropy',
              description: 'High-entropy value assigned to DB_PASSWORD',
              fingerprint: 'sha256:fedcba9876543210',
            },
          ],
        },
        approvals: [{ login: 'dependabot[bot]', commit_id: HEAD, bot: true }],
      },
    },
    {
      name: 'automation touching workflows with TODOs, unsigned commit, failed CodeQL, binary',
      input: {
        ...clean,
        change: {
          ...change,
          files: [
            ...change.files,
            {
              path: '.github/workflows/ci.yml',
              status: 'modified',
              binary: false,
              additions: 1,
              deletions: 1,
            },
            { path: 'assets/logo.png', status: 'added', binary: true, additions: 0, deletions: 0 },
          ],
          markers: [{ path: 'src/feature/module-4.ts', line: 9, marker: 'TODO' }],
          totals: { files: 140, additions: 9000, deletions: 10, bytes: 2_000_000 },
        },
        commits: [{ sha: HEAD, verified: false, reason: 'unsigned' }],
        checks: [{ name: 'CodeQL', head_sha: HEAD, conclusion: 'failure' }],
      },
    },
    {
      name: 'protected paths in review mode, entropy allowlisted',
      config: {
        protected_paths: { mode: 'review' },
        secrets: { allowlist: ['sha256:fedcba9876543210'] },
      },
      input: {
        ...clean,
        change: {
          ...change,
          files: [
            { path: 'package-lock.json', status: 'modified', binary: false, additions: 4, deletions: 4 },
          ],
          findings: [
            {
              path: 'test/fixture.env',
              line: 1,
              rule: 'entropy',
              kind: 'entropy',
              description: 'High-entropy value assigned to TOKEN',
              fingerprint: 'sha256:fedcba9876543210',
            },
          ],
        },
      },
    },
    { name: 'kill switch active', input: { ...clean, kill_switch: { active: true, reason: 'budget' } } },
    costCase('cost change with one other admin', ['alice', 'bob']),
    costCase('cost change with two other admins', ['bob', 'carol']),
  ];
}
