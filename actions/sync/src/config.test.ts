import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import type { AutocodeError } from '@autocode/toolkit';
import { parseSyncConfig, resolveTargets } from './config.js';
import { syncConfigSchema } from './schema.js';

const seedExample = `targets:
  - repo: InfinityXOneSystems/mvp
    paths:
      - src/quantum-mind/**
      - src/taxonomy/**
      - docs/**
    exclude:
      - "**/*.test.ts"
      - "**/secrets/**"
    create_pr: true
    auto_merge: false
    reviewers:
      - team:mvp-team
    labels:
      - sync/foundation
      - auto-generated

  - repo: InfinityXOneSystems/production
    paths:
      - infrastructure/**
      - k8s/**
    create_pr: true
    auto_merge: false
    require_approvals: 2
    reviewers:
      - team:infra
      - team:security
    labels:
      - sync/foundation
      - requires-review
`;

/** The AutocodeError `fn` throws (a test fails when it returns). */
const errorOf = (fn: () => unknown): Promise<AutocodeError> =>
  Promise.resolve()
    .then(fn)
    .then(
      () => Promise.reject(new Error('expected an error')),
      (err: AutocodeError) => err,
    );

describe('.sync-config.yaml', () => {
  it("accepts the seed's example exactly as written and fills in defaults", () => {
    const targets = resolveTargets(
      parseSyncConfig(seedExample, '.sync-config.yaml'),
      'InfinityXOneSystems/foundation',
    );
    expect(targets).toHaveLength(2);
    expect(targets[0]).toMatchObject({
      owner: 'InfinityXOneSystems',
      name: 'mvp',
      branch: 'sync/foundation',
      createPr: true,
      draft: false,
      deleteOrphaned: true,
      onConflict: 'skip',
      reviewers: { users: [], teams: ['mvp-team'] },
    });
    expect(targets[1]).toMatchObject({ requireApprovals: 2, reviewers: { teams: ['infra', 'security'] } });
  });

  it('accepts branch, draft, delete_orphaned and on_conflict', () => {
    const text =
      'targets:\n  - repo: acme/web\n    paths: [docs/**]\n    branch: chore/sync\n    draft: true\n    delete_orphaned: false\n    on_conflict: fail\n    reviewers: [alice, team:acme/web]\n';
    const [t] = resolveTargets(parseSyncConfig(text, 'c.yaml'), 'acme/foundation');
    expect(t).toMatchObject({
      branch: 'chore/sync',
      draft: true,
      deleteOrphaned: false,
      onConflict: 'fail',
      reviewers: { users: ['alice'], teams: ['web'] },
    });
  });

  it('names file:line:column for a YAML syntax error', async () => {
    const e = await errorOf(() =>
      parseSyncConfig('targets:\n  - repo: acme/web\n    paths: [a\n', 'sync.yaml'),
    );
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.location?.file).toBe('sync.yaml');
    expect(e.location?.line).toBeGreaterThanOrEqual(3);
  });

  it('names file:line:column for schema errors (unknown key, bad enum, bad repo)', async () => {
    const text =
      'targets:\n  - repo: acme/web\n    paths: [docs/**]\n    on_conflict: merge\n    colour: blue\n  - repo: not a repo\n    paths: [x]\n';
    const e = await errorOf(() => parseSyncConfig(text, '.sync-config.yaml'));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.message).toContain(
      '.sync-config.yaml:4:18: targets[0].on_conflict: must be one of "skip", "fail", "overwrite"',
    );
    expect(e.message).toContain('.sync-config.yaml:5:5: targets[0].colour: unknown key "colour"');
    expect(e.message).toMatch(/\.sync-config\.yaml:6:\d+: targets\[1\]\.repo/);
  });

  it.each([
    ['../outside/**', '".."'],
    ['/etc/**', 'absolute'],
    ['.git/hooks/*', '.git/'],
    ['docs/{a,../b}/**', '".."'],
  ])('refuses the glob %s with UNSAFE_PATH at its position', async (glob, why) => {
    const text = `targets:\n  - repo: acme/web\n    paths:\n      - docs/**\n      - "${glob}"\n`;
    const e = await errorOf(() => parseSyncConfig(text, 's.yaml'));
    expect(e.code).toBe('UNSAFE_PATH');
    expect(e.describe()).toContain('s.yaml:5:9: targets[0].paths[1]');
    expect(e.message).toContain(why);
  });

  it('refuses the same target twice', async () => {
    const text = 'targets:\n  - repo: acme/web\n    paths: [a/**]\n  - repo: ACME/web\n    paths: [b/**]\n';
    const e = await errorOf(() => parseSyncConfig(text, 's.yaml'));
    expect(e.code).toBe('CONFIG_INVALID');
    expect(e.describe()).toContain('s.yaml:4:11: targets[1].repo: target ACME/web is listed twice');
  });

  it('publishes the schema as actions/sync/sync-config.schema.json', () => {
    const published = JSON.parse(
      readFileSync(new URL('../sync-config.schema.json', import.meta.url), 'utf8'),
    );
    expect(published).toEqual(JSON.parse(JSON.stringify(syncConfigSchema)));
  });
});
