import { describe, expect, it } from '@jest/globals';
import { isAutomation, planKillSwitch } from './plan.js';

const wf = (id: number, file: string, state = 'active') => ({
  id,
  name: file,
  path: `.github/workflows/${file}`,
  state,
});
const workflows = [
  wf(1, 'sync.yml'),
  wf(2, 'codegen.yml'),
  wf(3, 'ci.yml'),
  wf(4, 'killswitch.yml'),
  wf(5, 'sync-fleet.yml', 'disabled_manually'),
];
const patterns = ['sync*.yml', 'codegen*.yml'];

describe('planKillSwitch', () => {
  it('when tripped, disables active automation workflows and cancels their live runs only', () => {
    const plan = planKillSwitch(
      true,
      workflows,
      [
        { id: 10, workflowId: 1, status: 'in_progress' },
        { id: 11, workflowId: 2, status: 'queued' },
        { id: 12, workflowId: 3, status: 'in_progress' },
        { id: 13, workflowId: 4, status: 'in_progress' },
      ],
      patterns,
      ['killswitch.yml'],
    );
    expect(plan.disable.map((w) => w.id)).toEqual([1, 2]);
    expect(plan.cancel.map((r) => r.id)).toEqual([10, 11]);
    expect(plan.enable).toEqual([]);
  });

  it('when cleared, re-enables the disabled automation workflows and nothing else', () => {
    const plan = planKillSwitch(
      false,
      [...workflows, wf(6, 'ci-nightly.yml', 'disabled_manually')],
      [],
      patterns,
      ['killswitch.yml'],
    );
    expect(plan.enable.map((w) => w.id)).toEqual([5]);
    expect(plan.disable).toEqual([]);
  });

  it('never touches the kill-switch workflow, even if a pattern matches it', () => {
    expect(isAutomation(wf(4, 'killswitch.yml'), ['*.yml'], ['killswitch.yml'])).toBe(false);
    expect(isAutomation(wf(1, 'sync.yml'), ['*.yml'], ['killswitch.yml'])).toBe(true);
    expect(isAutomation(wf(1, 'sync.yaml'), ['sync.yml'], [])).toBe(false);
  });
});
