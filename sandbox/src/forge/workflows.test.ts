import { describe, expect, it } from '@jest/globals';
import { triggersOn } from './workflows.js';

describe('triggersOn', () => {
  it('reads only the top-level on: block', () => {
    const wf = [
      'name: sync',
      'on:',
      '  workflow_call:',
      '    inputs:',
      '      job-id:',
      '        description: from repository_dispatch client_payload.job_id',
      'jobs: {}',
    ].join('\n');
    expect(triggersOn(wf, 'repository_dispatch')).toBe(false);
    expect(triggersOn(wf, 'workflow_call')).toBe(true);
  });

  it("matches an event's own types, not a sibling's", () => {
    const wf = [
      'on:',
      '  repository_dispatch: # any type',
      '  pull_request:',
      '    types: [opened]',
      '  push:',
      'jobs: {}',
    ].join('\n');
    expect(triggersOn(wf, 'repository_dispatch', 'autocode.sync')).toBe(true);
    expect(triggersOn(wf, 'pull_request', 'closed')).toBe(false);
    const typed = 'on:\n  repository_dispatch:\n    types:\n      - autocode.sync\njobs: {}\n';
    expect(triggersOn(typed, 'repository_dispatch', 'autocode.sync')).toBe(true);
    expect(triggersOn(typed, 'repository_dispatch', 'autocode.codegen')).toBe(false);
    expect(triggersOn('on: [push, repository_dispatch]\n', 'repository_dispatch', 'x')).toBe(true);
  });
});
