import assert from 'node:assert/strict';
import { it } from 'node:test';
import { classify } from './classify.js';

it('classifies by keyword', () => {
  assert.equal(classify('Cloud SaaS platform'), 'TECH.SOFTWARE');
  assert.equal(classify('Regional hospital group'), 'HEALTH.CARE');
  assert.equal(classify('Community bank'), 'FIN.SERVICES');
  assert.equal(classify('Bakery'), 'OTHER');
});
