import { afterAll, describe, expect, it } from '@jest/globals';
import { createHmac, timingSafeEqual } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { git, tempDir, useForgeFixture } from './test-support.js';

const owner = 'acme';
const repo = 'mvp';
let hookServer: Server;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const secret = 'hook-secret-1';

const fx = useForgeFixture(async () => {
  await fx.forge.createRepo(owner, repo, { files: { 'src/app.ts': 'export const app = 1;\n' } });
  fx.forge.createUser('alice', { email: 'alice@example.com', name: 'Alice' });
  fx.forge.createUser('bob', { email: 'bob@example.com' });
  fx.forge.createTeam(owner, 'mvp-team', ['bob']);
  hookServer = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => hookServer.listen(0, '127.0.0.1', r));
  fx.forge.setAppWebhook({
    url: `http://127.0.0.1:${(hookServer.address() as AddressInfo).port}/hook`,
    secret,
  });
});
afterAll(async () => {
  await new Promise((r) => hookServer.close(r));
});

async function pushBranch(branch: string, file: string, content: string, token: string): Promise<string> {
  const dir = tempDir();
  await git(dir, ['clone', '--quiet', fx.forge.gitUrl(owner, repo, token), 'c']);
  const clone = join(dir, 'c');
  await git(clone, ['checkout', '--quiet', '-b', branch]);
  writeFileSync(join(clone, file), content);
  await git(clone, ['add', '.']);
  await git(clone, ['commit', '--quiet', '-m', `Change ${file}`], {
    name: 'Alice',
    email: 'alice@example.com',
  });
  await git(clone, ['push', '--quiet', 'origin', branch]);
  return git(clone, ['rev-parse', 'HEAD']);
}

describe('pull requests', () => {
  it('a branch pushed with git becomes a PR that a human approves and the App merges', async () => {
    const { app, forge } = fx;
    const alice = forge.createUser('alice');
    const bob = fx.client(forge.createUser('bob').token);
    const head = await pushBranch(
      'feature/greeting',
      'src/greeting.ts',
      'export const hi = "hi";\n',
      alice.token,
    );

    const { data: pr } = await app.rest.pulls.create({
      owner,
      repo,
      head: 'feature/greeting',
      base: 'main',
      title: 'Add greeting',
      body: 'Adds a greeting.',
    });
    const at = { owner, repo, pull_number: pr.number };
    expect(pr.head.sha).toBe(head);
    expect(pr.user?.login).toBe(`${forge.app.slug}[bot]`);
    await expect(
      app.rest.pulls.create({ owner, repo, head: 'feature/greeting', base: 'main', title: 'dup' }),
    ).rejects.toMatchObject({ status: 422 });

    const { data: requested } = await app.rest.pulls.requestReviewers({
      ...at,
      reviewers: ['bob'],
      team_reviewers: ['mvp-team'],
    });
    expect(requested.requested_reviewers?.map((u) => u.login)).toEqual(['bob']);
    expect(requested.requested_teams?.map((t) => t.slug)).toEqual(['mvp-team']);
    await expect(
      app.rest.pulls.requestReviewers({ ...at, team_reviewers: ['nobody'] }),
    ).rejects.toMatchObject({ status: 422 });

    await expect(app.rest.pulls.createReview({ ...at, event: 'APPROVE' })).rejects.toMatchObject({
      status: 422,
    });
    const { data: review } = await bob.rest.pulls.createReview({
      ...at,
      event: 'APPROVE',
      body: 'LGTM',
    });
    expect(review.state).toBe('APPROVED');
    const { data: reviews } = await app.rest.pulls.listReviews(at);
    expect(reviews.map((r) => [r.user?.login, r.state])).toEqual([['bob', 'APPROVED']]);

    const { data: files } = await app.rest.pulls.listFiles(at);
    expect(files).toEqual([
      expect.objectContaining({
        filename: 'src/greeting.ts',
        status: 'added',
        additions: 1,
        patch: '@@ -0,0 +1 @@\n+export const hi = "hi";',
      }),
    ]);
    const { data: commits } = await app.rest.pulls.listCommits(at);
    expect(commits.map((c) => c.sha)).toEqual([head]);
    const { data: listed } = await app.rest.pulls.list({
      owner,
      repo,
      head: `${owner}:feature/greeting`,
      state: 'open',
    });
    expect(listed.map((p) => p.number)).toEqual([pr.number]);
    const { data: full } = await app.rest.pulls.get(at);
    expect(full).toMatchObject({ mergeable: true, mergeable_state: 'clean', changed_files: 1, commits: 1 });

    await expect(app.rest.pulls.merge({ ...at, sha: 'f'.repeat(40) })).rejects.toMatchObject({ status: 409 });
    const { data: merged } = await app.rest.pulls.merge({
      ...at,
      merge_method: 'merge',
      sha: head,
    });
    expect(merged.merged).toBe(true);
    const { data: commit } = await app.rest.git.getCommit({ owner, repo, commit_sha: merged.sha });
    expect(commit.parents.map((p) => p.sha)[1]).toBe(head);
    expect(commit.verification.verified).toBe(true);
    const { data: after } = await app.rest.pulls.get(at);
    expect(after).toMatchObject({
      state: 'closed',
      merged: true,
      merge_commit_sha: merged.sha,
      changed_files: 1,
    });
    expect(after.merged_by?.login).toBe(`${forge.app.slug}[bot]`);
    const { data: closed } = await app.rest.pulls.list({ owner, repo, state: 'closed', base: 'main' });
    expect(closed.map((p) => p.number)).toContain(pr.number);
  });

  it('a ruleset requiring two approvals blocks the merge until the second approval; squash merges', async () => {
    const { app, forge } = fx;
    await app.rest.repos.createRepoRuleset({
      owner,
      repo,
      name: 'main protection',
      enforcement: 'active',
      target: 'branch',
      conditions: { ref_name: { include: ['~DEFAULT_BRANCH'], exclude: [] } },
      rules: [
        {
          type: 'pull_request',
          parameters: {
            required_approving_review_count: 2,
            dismiss_stale_reviews_on_push: false,
            require_code_owner_review: false,
            require_last_push_approval: false,
            required_review_thread_resolution: false,
          },
        },
      ],
    });
    const { data: rulesets } = await app.rest.repos.getRepoRulesets({ owner, repo });
    expect(rulesets.map((r) => r.name)).toEqual(['main protection']);
    await pushBranch('feature/two', 'src/two.ts', 'export const two = 2;\n', forge.createUser('alice').token);
    const { data: pr } = await app.rest.pulls.create({
      owner,
      repo,
      head: 'feature/two',
      base: 'main',
      title: 'Two',
    });
    const at = { owner, repo, pull_number: pr.number };
    const bob = fx.client(forge.createUser('bob').token);
    const alice = fx.client(forge.createUser('alice').token);
    await bob.rest.pulls.createReview({ ...at, event: 'APPROVE' });
    expect((await app.rest.pulls.get(at)).data.mergeable_state).toBe('blocked');
    await expect(app.rest.pulls.merge({ ...at, merge_method: 'squash' })).rejects.toMatchObject({
      status: 405,
    });
    await alice.rest.pulls.createReview({ ...at, event: 'APPROVE' });
    const { data: merged } = await app.rest.pulls.merge({
      ...at,
      merge_method: 'squash',
    });
    const { data: commit } = await app.rest.git.getCommit({ owner, repo, commit_sha: merged.sha });
    expect(commit.parents).toHaveLength(1);
    expect(commit.message).toBe(`Two (#${pr.number})`);
  });

  it('webhooks arrive signed with X-Hub-Signature-256 for push, pull_request and reviews', async () => {
    await fx.forge.webhooks.idle();
    const events = received.map((r) => `${r.headers['x-github-event']}.${JSON.parse(r.body).action ?? ''}`);
    expect(events).toEqual(
      expect.arrayContaining([
        'push.',
        'pull_request.opened',
        'pull_request.review_requested',
        'pull_request_review.submitted',
        'pull_request.closed',
      ]),
    );
    for (const r of received) {
      const expected = Buffer.from(`sha256=${createHmac('sha256', secret).update(r.body).digest('hex')}`);
      const got = Buffer.from(String(r.headers['x-hub-signature-256']));
      expect(got.length === expected.length && timingSafeEqual(got, expected)).toBe(true);
      expect(r.headers['x-github-delivery']).toMatch(/^[0-9a-f-]{36}$/);
      expect(JSON.parse(r.body).installation.id).toBe(fx.forge.app.installationId);
    }
    const closed = received
      .map((r) => JSON.parse(r.body))
      .find((p) => p.action === 'closed' && p.pull_request.merged);
    expect(closed.pull_request.merged).toBe(true);
  });
});

describe('issues, labels and comments', () => {
  it('creates an issue with labels, comments on it and closes it', async () => {
    const { app } = fx;
    await app.rest.issues.createLabel({ owner, repo, name: 'sync/foundation', color: '0e8a16' });
    await expect(app.rest.issues.createLabel({ owner, repo, name: 'sync/foundation' })).rejects.toMatchObject(
      { status: 422 },
    );
    const { data: issue } = await app.rest.issues.create({
      owner,
      repo,
      title: 'Sync conflict',
      body: 'details',
      labels: ['sync/foundation'],
    });
    await app.rest.issues.addLabels({ owner, repo, issue_number: issue.number, labels: ['needs-human'] });
    const { data: labels } = await app.rest.issues.listLabelsForRepo({ owner, repo });
    expect(labels.map((l) => l.name).sort()).toEqual(['needs-human', 'sync/foundation']);
    await app.rest.issues.createComment({ owner, repo, issue_number: issue.number, body: 'Looking into it' });
    const { data: comments } = await app.rest.issues.listComments({
      owner,
      repo,
      issue_number: issue.number,
    });
    expect(comments.map((c) => c.body)).toEqual(['Looking into it']);
    const { data: open } = await app.rest.issues.listForRepo({ owner, repo, labels: 'needs-human' });
    expect(open.map((i) => i.number)).toEqual([issue.number]);
    const { data: closed } = await app.rest.issues.update({
      owner,
      repo,
      issue_number: issue.number,
      state: 'closed',
    });
    expect(closed.state).toBe('closed');
    const { data: got } = await app.rest.issues.get({ owner, repo, issue_number: issue.number });
    expect(got.labels.map((l) => (typeof l === 'string' ? l : l.name))).toEqual([
      'sync/foundation',
      'needs-human',
    ]);
  });
});
