import { describe, expect, it } from '@jest/globals';
import { AutocodeError, ErrorCodes, consoleReporter } from '@autocode/toolkit';
import type { AuditEvent } from '@autocode/toolkit';
import { parseRotationPlan } from './plan.js';
import type { RotationDeps, SecretStore } from './ports.js';
import { runRotation } from './rotate.js';
import { emptyState } from './state.js';
import type { RotationState } from './state.js';
import { rotationMetrics } from './metrics.js';

const PLAN = `version: 1
grace_days: 7
state: { repo: acme/ops }
issues: { repo: acme/ops }
secrets:
  - name: HOOK
    generator: { type: random }
    current_value_env: CURRENT_HOOK
    stores:
      - { type: cloudflare-worker, account_id: 0123456789abcdef0123456789abcdef, script: edge, previous_name: HOOK_PREVIOUS }
      - { type: github-actions, scope: repo, repo: acme/ops }
  - name: APP_KEY
    manual: true
    kind: github-app-key
    created_at: '2025-01-01'
`;

interface Slot {
  value?: string;
  previous?: string;
}

function world(start = '2026-06-01T00:00:00Z') {
  let now = new Date(start);
  const slots = new Map<string, Slot>();
  const audits: AuditEvent[] = [];
  const issues = new Map<string, string>();
  const log: string[] = [];
  const writes: string[] = [];
  let killed = false;
  let n = 0;
  const store = (describe: string, hasPreviousSlot: boolean): SecretStore => ({
    describe,
    hasPreviousSlot,
    async write(value, previous) {
      writes.push(`write ${describe}`);
      slots.set(describe, { value, ...(previous !== undefined ? { previous } : {}) });
    },
    async verify() {},
    async revokePrevious() {
      writes.push(`revoke ${describe}`);
      delete slots.get(describe)!.previous;
    },
  });
  const reporter = consoleReporter((l) => log.push(l));
  const env: Record<string, string> = { CURRENT_HOOK: 'old-hook-value' };
  const deps: RotationDeps = {
    stores: (spec) => (spec.name === 'HOOK' ? [store('cf', true), store('gh', false)] : []),
    verify: async () => {},
    generate: () => `generated-${++n}`,
    guard: async () => {
      if (killed) throw new AutocodeError(ErrorCodes.KILL_SWITCH_ACTIVE, 'kill switch active');
    },
    audit: async (e) => void audits.push(e),
    env: (k) => env[k],
    issues: {
      async ensureOpen(key, title) {
        writes.push(`issue ${key}`);
        if (issues.has(key)) return 'exists';
        issues.set(key, title);
        return 'created';
      },
      async close(key) {
        return issues.delete(key);
      },
    },
    now: () => now,
    reporter,
  };
  return {
    deps,
    slots,
    audits,
    issues,
    log,
    writes,
    env,
    advance: (days: number) => (now = new Date(now.getTime() + days * 86_400_000)),
    kill: () => (killed = true),
  };
}

const plan = parseRotationPlan(PLAN, 'plan.yaml');
const run = (w: ReturnType<typeof world>, state: RotationState, force: string[] = []) =>
  runRotation(plan, state, w.deps, { dryRun: false, force });

describe('runRotation', () => {
  it('stores the new value everywhere, keeps the old one in the previous slot, then revokes it after the grace period', async () => {
    const w = world();
    const first = await run(w, emptyState());
    expect(first.outcomes.find((o) => o.name === 'HOOK')).toMatchObject({ action: 'rotate', result: 'done' });
    expect(w.slots.get('cf')).toEqual({ value: 'generated-1', previous: 'old-hook-value' });
    expect(w.slots.get('gh')).toEqual({ value: 'generated-1' });
    expect(first.state.secrets.HOOK?.pending?.slots).toEqual(['cf']);

    w.advance(3);
    const waiting = await run(w, first.state);
    expect(waiting.outcomes[0]).toMatchObject({ action: 'wait', result: 'skipped' });
    expect(w.slots.get('cf')?.previous).toBe('old-hook-value');

    w.advance(5);
    w.writes.length = 0;
    const revoked = await run(w, waiting.state);
    expect(revoked.outcomes[0]).toMatchObject({ action: 'revoke', result: 'done' });
    expect(w.slots.get('cf')).toEqual({ value: 'generated-1' });
    expect(w.writes.filter((x) => !x.startsWith('issue'))).toEqual(['revoke cf']);
    expect(revoked.state.secrets.HOOK?.pending).toBeUndefined();

    // Nothing to do until the interval (90 days) has passed; then it rotates again.
    w.advance(30);
    expect((await run(w, revoked.state)).outcomes[0]?.action).toBe('ok');
    w.advance(60);
    expect((await run(w, revoked.state)).outcomes[0]?.action).toBe('rotate');
  });

  it('records every step as an audit event and never puts a value in the log, audit or state', async () => {
    const w = world();
    const { state } = await run(w, emptyState());
    expect(w.audits.map((a) => a.action)).toEqual(
      expect.arrayContaining(['secret.generate', 'secret.store', 'secret.verify', 'secret.manual_due']),
    );
    const everything = [
      ...w.log,
      JSON.stringify(w.audits),
      JSON.stringify(state),
      rotationMetrics(state, new Date()),
    ].join('\n');
    expect(everything).not.toContain('generated-1');
    expect(everything).not.toContain('old-hook-value');
  });

  it('opens one issue for an old App key, however often it runs, and closes it once the key is renewed', async () => {
    const w = world();
    const a = await run(w, emptyState());
    const b = await run(w, a.state);
    expect([...w.issues.keys()]).toEqual(['manual:APP_KEY']);
    expect(b.outcomes.find((o) => o.name === 'APP_KEY')?.overdue).toBe(true);
    const renewed = parseRotationPlan(PLAN.replace("'2025-01-01'", "'2026-05-30'"), 'plan.yaml');
    await runRotation(renewed, b.state, w.deps, { dryRun: false, force: [] });
    expect(w.issues.size).toBe(0);
  });

  it('marks a secret overdue and opens an issue when its rotation fails past 100 days', async () => {
    const w = world();
    const state: RotationState = {
      version: 1,
      secrets: { HOOK: { kind: 'generated', rotatedAt: '2026-01-01T00:00:00Z' } },
    };
    w.deps.stores = () => [
      {
        describe: 'broken',
        hasPreviousSlot: false,
        write: async () => {
          throw new AutocodeError(ErrorCodes.FORBIDDEN, 'no permission');
        },
        verify: async () => {},
        revokePrevious: async () => {},
      },
    ];
    const r = await run(w, state);
    expect(r.outcomes[0]).toMatchObject({ result: 'failed', overdue: true });
    expect(w.issues.has('overdue:HOOK')).toBe(true);
    expect(r.state.secrets.HOOK?.lastError).toBe('no permission');
  });

  it('stops before the first write when the kill switch is active', async () => {
    const w = world();
    w.kill();
    await expect(run(w, emptyState())).rejects.toMatchObject({ code: 'KILL_SWITCH_ACTIVE' });
    expect(w.writes).toEqual([]);
  });

  it('dry run decides without writing', async () => {
    const w = world();
    const r = await runRotation(plan, emptyState(), w.deps, { dryRun: true, force: [] });
    expect(r.outcomes[0]).toMatchObject({ action: 'rotate', result: 'planned' });
    expect(w.writes).toEqual([]);
  });
});

describe('parseRotationPlan', () => {
  it('points at the offending line and key', () => {
    const bad = PLAN.replace('script: edge,', 'script: edge, scrpit: x,');
    expect(() => parseRotationPlan(bad, 'plan.yaml')).toThrow(/plan\.yaml:\d+:\d+/);
    expect(() =>
      parseRotationPlan('version: 1\nstate: { repo: acme/ops }\nsecrets:\n  - name: X\n', 'p.yaml'),
    ).toThrow(/p\.yaml:4:\d+: secrets\[0\]: missing required key "generator"/);
  });
});
