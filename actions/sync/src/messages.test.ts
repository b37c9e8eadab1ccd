import { describe, expect, it } from '@jest/globals';
import { commitMessage, conflictIssue, isSyncCommitMessage, parseMarker, pullBody } from './messages.js';
import { autoMergeBlocker } from './automerge.js';
import { eventFor, guardedPort } from './fleet.js';
import type { TargetPort } from './port.js';

const sha = 'f'.repeat(40);

describe('sync messages', () => {
  it('commit messages end with provenance trailers that identify our own commits', () => {
    const msg = commitMessage({
      source: 'acme/foundation',
      sourceSha: sha,
      changes: [{ path: 'a', action: 'delete' }],
      runUrl: 'https://x/runs/1',
    });
    expect(msg).toMatch(/\n\nSynced-From: acme\/foundation@f{40}\nSync-Run: https:\/\/x\/runs\/1\n$/);
    expect(isSyncCommitMessage(msg, 'acme/foundation')).toBe(true);
    expect(isSyncCommitMessage(msg, 'acme/other')).toBe(false);
    expect(isSyncCommitMessage('fix: Synced-From: acme/foundation@abc in prose', 'acme/foundation')).toBe(
      false,
    );
  });

  it('PR bodies carry a marker the next run reads back, and are deterministic', () => {
    const input = {
      source: 'acme/foundation',
      sourceSha: sha,
      changes: [],
      conflicts: [],
      marker: {
        source: 'acme/foundation',
        source_sha: sha,
        commit: 'c'.repeat(40),
        tree: 't'.repeat(40),
        conflicts: 2,
      },
    };
    expect(pullBody(input)).toBe(pullBody(input));
    expect(parseMarker(pullBody(input))).toEqual(input.marker);
    expect(parseMarker('no marker here')).toBeUndefined();
  });

  it('the conflict issue lists every conflict with what to do', () => {
    const { title, body } = conflictIssue('acme/foundation', sha, [
      { path: 'docs/a.md', kind: 'edited-in-target', resolution: 'kept' },
    ]);
    expect(title).toBe('Sync from acme/foundation: 1 file(s) edited here');
    expect(body).toContain('| `docs/a.md` | edited here since the last sync | kept |');
    expect(body).toContain('<!-- autocode-sync-conflicts source=acme/foundation -->');
  });
});

describe('gates and guards', () => {
  const repo = { defaultBranch: 'main', allowAutoMerge: true, archived: false, canPush: true };
  const pull = { draft: false } as Parameters<typeof autoMergeBlocker>[2];
  it('auto-merge needs the config, no required approvals, the repository setting and a ready PR', () => {
    expect(autoMergeBlocker({ autoMerge: true, requireApprovals: 0 }, repo, pull)).toBeUndefined();
    expect(autoMergeBlocker({ autoMerge: false, requireApprovals: 0 }, repo, pull)).toContain(
      'off in the sync config',
    );
    expect(autoMergeBlocker({ autoMerge: true, requireApprovals: 2 }, repo, pull)).toBe(
      'require_approvals is 2',
    );
    expect(
      autoMergeBlocker({ autoMerge: true, requireApprovals: 0 }, { ...repo, allowAutoMerge: false }, pull),
    ).toContain('does not allow');
    expect(autoMergeBlocker({ autoMerge: true, requireApprovals: 0 }, repo, { ...pull, draft: true })).toBe(
      'the PR is a draft',
    );
  });

  it('a dry run cannot write, even by mistake', async () => {
    const port = {
      repo: 'a/b',
      createTree: async () => 'x',
      getRepo: async () => repo,
    } as unknown as TargetPort;
    const dry = guardedPort(port, true);
    expect(() => dry.port.createTree('t', [])).toThrow('dry run attempted a write: createTree');
    await expect(dry.port.getRepo()).resolves.toEqual(repo);
    const live = guardedPort(port, false);
    await live.port.createTree('t', []);
    expect(live.writes()).toBe(1);
  });

  it('job events: PRs, conflicts and failures are reported; quiet reruns are not', () => {
    expect(
      eventFor({ repo: 'a/b', status: 'created', message: 'm', writes: 5, pr: { number: 3, url: 'u' } }),
    ).toMatchObject({ type: 'pr_opened', pr_number: 3 });
    expect(
      eventFor({
        repo: 'a/b',
        status: 'failed',
        message: 'm',
        writes: 0,
        error: { code: 'FORBIDDEN', message: 'm' },
      }),
    ).toMatchObject({ type: 'failed' });
    expect(eventFor({ repo: 'a/b', status: 'blocked', message: 'm', writes: 0 })).toMatchObject({
      type: 'conflict',
    });
    expect(eventFor({ repo: 'a/b', status: 'unchanged', message: 'm', writes: 0 })).toBeUndefined();
  });
});
