import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { grade, score } from './scorer.js';

describe('score', () => {
  it('weights signals and clamps values', () => {
    assert.equal(
      score([
        { name: 'visits', value: 1, weight: 3 },
        { name: 'replies', value: 2, weight: 1 },
      ]),
      100,
    );
    assert.equal(score([{ name: 'visits', value: 0.5, weight: 2 }]), 50);
  });

  it('is zero without weights', () => {
    assert.equal(score([]), 0);
  });
});

describe('grade', () => {
  it('buckets scores', () => {
    assert.deepEqual([grade(85), grade(40), grade(3)], ['hot', 'warm', 'cold']);
  });
});
