import { describe, expect, it } from '@jest/globals';
import { RateBudget, estimateWrites } from './budget.js';

function clock() {
  let t = 1_000_000;
  const sleeps: number[] = [];
  return { now: () => t, sleep: async (ms: number) => void (sleeps.push(ms), (t += ms)), sleeps };
}

describe('content-creation budget', () => {
  it('waits for the minute window instead of exceeding 80 writes per minute', async () => {
    const c = clock();
    const budget = new RateBudget({ now: c.now, sleep: c.sleep });
    for (let i = 0; i < 80; i++) await budget.take();
    expect(c.sleeps).toEqual([]);
    await budget.take();
    expect(c.sleeps).toEqual([60_000]);
    expect(budget.taken).toBe(81);
  });

  it('defers work that does not fit in the 500-per-hour window', async () => {
    const c = clock();
    const budget = new RateBudget({ now: c.now, sleep: c.sleep, perMinute: 1000 });
    expect(budget.tryReserve(400)).toBe(true);
    expect(budget.tryReserve(101)).toBe(false);
    expect(budget.tryReserve(100)).toBe(true);
    for (let i = 0; i < 450; i++) await budget.take();
    budget.release(50);
    expect(budget.available()).toBe(50);
  });

  it('gives up with RATE_LIMITED rather than waiting past its limit', async () => {
    const c = clock();
    const budget = new RateBudget({
      now: c.now,
      sleep: c.sleep,
      perMinute: 1000,
      perHour: 2,
      maxWaitMs: 1000,
    });
    await budget.take();
    await budget.take();
    await expect(budget.take()).rejects.toMatchObject({ code: 'RATE_LIMITED' });
  });

  it('estimates a text-only update as tree + commit + ref + PR update', () => {
    expect(
      estimateWrites({
        binaryBlobs: 0,
        commit: true,
        newPull: false,
        labels: true,
        reviewers: true,
        conflictIssue: false,
        autoMerge: false,
      }),
    ).toBe(4);
    expect(
      estimateWrites({
        binaryBlobs: 2,
        commit: true,
        newPull: true,
        labels: true,
        reviewers: true,
        conflictIssue: true,
        autoMerge: true,
      }),
    ).toBe(10);
  });
});
