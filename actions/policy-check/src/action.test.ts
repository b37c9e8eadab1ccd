/**
 * The action as the runner runs it: `node dist/index.js` with INPUT_* env, GITHUB_OUTPUT and
 * GITHUB_STEP_SUMMARY files, against pull requests in the sandbox forge (real git, GitHub REST over HTTP).
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Forge } from '@autocode/sandbox';
import { startForge } from '@autocode/sandbox';
import type { GitHubClient } from '@autocode/toolkit';
import { createGitHubClient } from '@autocode/toolkit';
import type { Decision } from '@autocode/policies';
import { ALNUM, Fakes, p } from '@autocode/policies/testing';

const owner = 'acme';
const repo = 'web';
const dist = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const FAST = { writeSpacingMs: 0, retryAfterBaseValueMs: 10 };

let forge: Forge;
let app: GitHubClient;
let appToken: string;
const client = (token: string) =>
  createGitHubClient({ auth: { kind: 'token', token }, baseUrl: forge.apiUrl, ...FAST });

beforeAll(async () => {
  forge = await startForge();
  await forge.createRepo(owner, repo, {
    files: { 'README.md': '# web\n', 'src/app.ts': 'export const app = 1;\n' },
  });
  appToken = forge.tokenForInstallation();
  app = client(appToken);
});

afterAll(async () => {
  await forge?.stop();
});

/** A branch with one App-made (verified) commit changing `files`, and a PR from it opened by the App. */
async function openPullRequest(
  branch: string,
  files: Record<string, string>,
  body: string,
): Promise<{ number: number; head: string }> {
  const { data: main } = await app.rest.git.getRef({ owner, repo, ref: 'heads/main' });
  const { data: base } = await app.rest.git.getCommit({ owner, repo, commit_sha: main.object.sha });
  const { data: tree } = await app.rest.git.createTree({
    owner,
    repo,
    base_tree: base.tree.sha,
    tree: Object.entries(files).map(([path, content]) => ({
      path,
      mode: '100644' as const,
      type: 'blob' as const,
      content,
    })),
  });
  const { data: commit } = await app.rest.git.createCommit({
    owner,
    repo,
    message: `autocode: ${branch}`,
    tree: tree.sha,
    parents: [base.sha],
  });
  await app.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: commit.sha });
  const { data: pr } = await app.rest.pulls.create({
    owner,
    repo,
    head: branch,
    base: 'main',
    title: branch,
    body,
  });
  await app.rest.checks.create({
    owner,
    repo,
    name: 'CodeQL',
    head_sha: commit.sha,
    status: 'completed',
    conclusion: 'success',
  });
  return { number: pr.number, head: commit.sha };
}

/** `login` (created on first use) approves the PR's head commit. */
async function approve(login: string, pr: { number: number; head: string }, type: 'User' | 'Bot' = 'User') {
  const user = forge.createUser(login, { type, orgs: [owner] });
  await client(user.token).rest.pulls.createReview({
    owner,
    repo,
    pull_number: pr.number,
    event: 'APPROVE',
    commit_id: pr.head,
  });
}

/**
 * Run the bundled action like the runner: inputs as INPUT_* env, outputs and summary through files. Async:
 * the forge serves from this process, so a blocking spawnSync would deadlock it.
 */
async function runAction(pullNumber: number) {
  const dir = mkdtempSync(join(tmpdir(), 'policy-action-'));
  const output = join(dir, 'output');
  const summary = join(dir, 'summary.md');
  writeFileSync(output, '');
  writeFileSync(summary, '');
  const child = spawn(process.execPath, [dist], {
    cwd: dir,
    timeout: 50_000,
    env: {
      PATH: process.env.PATH,
      GITHUB_OUTPUT: output,
      GITHUB_STEP_SUMMARY: summary,
      GITHUB_REPOSITORY: `${owner}/${repo}`,
      INPUT_TOKEN: appToken,
      'INPUT_GITHUB-API-URL': forge.apiUrl,
      INPUT_REPOSITORY: `${owner}/${repo}`,
      'INPUT_PULL-NUMBER': String(pullNumber),
      INPUT_CONFIG: '.github/autocode-policy.yaml',
      'INPUT_LLM-LABELS': 'autocode:llm',
      'INPUT_KILL-SWITCH-FAIL-OPEN': 'false',
    },
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
  const outputs = parseOutputs(readFileSync(output, 'utf8'));
  return { code, stdout, summary: readFileSync(summary, 'utf8'), outputs };
}

/** GITHUB_OUTPUT uses `name<<delimiter` … `delimiter` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /^(.+?)<<(.+)\n([\s\S]*?)\n\2$/gm;
  for (let m = re.exec(text); m; m = re.exec(text)) out[m[1]!] = m[3]!;
  return out;
}

describe('policy-check action against the sandbox forge', () => {
  it('blocks a PR with a planted secret and a bot-only approval', async () => {
    const f = new Fakes(42);
    const secret = p('AK', 'IA', f.chars('ABCDEFGHIJKLMNOPQRSTUVWXYZ234567', 16));
    const slack = p('xox', 'b-', f.digits(12), '-', f.digits(13), '-', f.chars(ALNUM, 24));
    const pr = await openPullRequest(
      'leaky',
      {
        'src/notify.ts': `export const notify = 1;\nconst awsKey = '${secret}';\nconst hook = '${slack}';\n`,
      },
      'Adds notifications.\n\nRequested-by: @carol\n',
    );
    await approve('helper[bot]', pr, 'Bot');

    const r = await runAction(pr.number);
    expect(r.code).toBe(1);
    const decision = JSON.parse(r.outputs.decision!) as Decision;
    expect(decision.allow).toBe(false);
    expect([...new Set(decision.deny.map((v) => v.rule))]).toEqual(['human-approvals', 'no-secrets']);
    expect(decision.deny.filter((v) => v.rule === 'no-secrets').map((v) => [v.path, v.line])).toEqual([
      ['src/notify.ts', 2],
      ['src/notify.ts', 3],
    ]);
    expect(r.outputs.allowed).toBe('false');
    expect(r.outputs['error-code']).toBe('POLICY_DENIED');
    // Annotations on file/line, a summary table of rules, and no secret anywhere in what the runner shows.
    expect(r.stdout).toMatch(/::error title=policy no-secrets,file=src\/notify.ts,line=2::/);
    expect(r.stdout).toMatch(/helper\[bot\]: bot/);
    expect(r.summary).toMatch(/autocode policy: ❌ denied/);
    expect(r.summary).toMatch(/\| human-approvals \| Human approvals on the head commit \| ❌ deny \|/);
    for (const text of [r.stdout, r.summary, r.outputs.decision!]) {
      expect(text).not.toContain(secret);
      expect(text).not.toContain(slack);
    }
  });

  it('passes a clean PR approved by a human on its head commit', async () => {
    const pr = await openPullRequest(
      'clean',
      { 'src/retry.ts': 'export const retries = 3;\n' },
      'Adds a retry constant.\n\nRequested-by: @carol\n',
    );
    await approve('alice', pr);

    const r = await runAction(pr.number);
    expect({ code: r.code, stdout: r.code === 0 ? '' : r.stdout }).toEqual({ code: 0, stdout: '' });
    expect(JSON.parse(r.outputs.decision!)).toMatchObject({ allow: true, deny: [], warn: [] });
    expect(r.outputs.allowed).toBe('true');
    expect(r.summary).toMatch(/autocode policy: ✅ allowed/);
  });

  it('reads the policy config from the base branch, not from the PR', async () => {
    const { data: main } = await app.rest.repos.getBranch({ owner, repo, branch: 'main' });
    await app.rest.repos.createOrUpdateFileContents({
      owner,
      repo,
      path: '.github/autocode-policy.yaml',
      message: 'policy: two approvals',
      content: Buffer.from('approvals:\n  required: 2\n').toString('base64'),
      branch: 'main',
    });
    const pr = await openPullRequest(
      'relax-policy',
      { '.github/autocode-policy.yaml': 'approvals:\n  required: 0\n', 'src/x.ts': 'export const x = 1;\n' },
      `Base ${main.commit.sha.slice(0, 7)}`,
    );
    await approve('alice2', pr);
    const r = await runAction(pr.number);
    expect(r.code).toBe(1);
    const decision = JSON.parse(r.outputs.decision!) as Decision;
    expect(decision.deny.map((v) => v.rule)).toEqual(['human-approvals', 'protected-paths']);
    expect(decision.deny[0]!.message).toMatch(/needs 2 human approval\(s\)/);
  });
});
