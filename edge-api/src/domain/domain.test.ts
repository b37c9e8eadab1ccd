import { describe, expect, it } from '@jest/globals';
import { canTransition, sourcesOf } from './jobs.js';
import { evaluateBuiltin } from './policy.js';
import type { EdgePolicyInput } from './policy.js';
import { backoffMs, dispatchRequest } from './payload.js';
import { isActive, shouldAutoTrip } from './killswitch.js';

const input = (over: Partial<EdgePolicyInput> = {}): EdgePolicyInput => ({
  action: 'command',
  role: 'member',
  repo_owner: 'acme',
  allowed_owners: ['acme'],
  kill_switch: { active: false },
  budget: { spent_usd: 0, daily_usd: 100 },
  ...over,
});

describe('edge policy (built-in rules)', () => {
  it('allows a member command on an allowed owner within budget', () => {
    expect(evaluateBuiltin(input())).toEqual({ allow: true, killed: false, reasons: [] });
  });

  it('the kill switch halts commands and approvals but not admin actions', () => {
    expect(evaluateBuiltin(input({ kill_switch: { active: true } }))).toMatchObject({
      allow: false,
      killed: true,
    });
    expect(
      evaluateBuiltin(input({ action: 'approval', role: 'approver', kill_switch: { active: true } })),
    ).toMatchObject({ killed: true });
    expect(
      evaluateBuiltin(input({ action: 'killswitch', role: 'admin', kill_switch: { active: true } })),
    ).toMatchObject({ allow: true });
  });

  it('denies by role, owner and exhausted budget', () => {
    expect(evaluateBuiltin(input({ action: 'approval' })).reasons).toEqual([
      'role member may not perform approval',
    ]);
    expect(evaluateBuiltin(input({ repo_owner: 'Mallory' })).reasons[0]).toMatch(/"mallory" is not allowed/);
    expect(evaluateBuiltin(input({ budget: { spent_usd: 100, daily_usd: 100 } })).reasons[0]).toMatch(
      /budget exhausted/,
    );
  });
});

describe('job state machine', () => {
  it('moves forward only; terminal states stay terminal', () => {
    expect(canTransition('queued', 'dispatched')).toBe(true);
    expect(canTransition('running', 'pr_opened')).toBe(true);
    expect(canTransition('pr_opened', 'running')).toBe(false);
    expect(canTransition('failed', 'pr_opened')).toBe(false);
    expect(sourcesOf('running').sort()).toEqual(['dispatched', 'queued']);
  });
});

describe('repository_dispatch limits', () => {
  it('refuses more than 10 top-level keys and payloads of 64 KB', () => {
    const eleven = Object.fromEntries(Array.from({ length: 11 }, (_, i) => [`k${i}`, i]));
    expect(() => dispatchRequest('autocode.sync', eleven)).toThrow(/10/);
    expect(() => dispatchRequest('autocode.sync', { p: 'x'.repeat(64 * 1024) })).toThrow(/64 KB/);
    expect(() => dispatchRequest('x'.repeat(101), {})).toThrow(/100/);
    expect(dispatchRequest('autocode.sync', { a: 1 })).toEqual({
      event_type: 'autocode.sync',
      client_payload: { a: 1 },
    });
  });

  it('backs off exponentially with a cap, and retry-after wins', () => {
    expect([1, 2, 3].map((a) => backoffMs(a, 1000))).toEqual([1000, 2000, 4000]);
    expect(backoffMs(30, 1000)).toBe(15 * 60 * 1000);
    expect(backoffMs(1, 1000, 60)).toBe(60_000);
  });
});

describe('kill switch rules', () => {
  const row = { active: 1, reason: 'x', tripped_by: 'a', tripped_at: 0, expires_at: 1000 };
  it('expires on read', () => {
    expect(isActive(row, 999)).toBe(true);
    expect(isActive(row, 1000)).toBe(false);
    expect(isActive({ ...row, expires_at: null }, 1e15)).toBe(true);
  });
  it('auto-trips at 200 % of the daily budget', () => {
    expect(shouldAutoTrip(199.99, 100)).toBe(false);
    expect(shouldAutoTrip(200, 100)).toBe(true);
    expect(shouldAutoTrip(5, 0)).toBe(false);
  });
});
