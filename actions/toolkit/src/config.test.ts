import { describe, expect, it } from '@jest/globals';
import { parseConfig } from './config.js';
import type { AutocodeError } from './errors.js';

const schema = {
  type: 'object',
  additionalProperties: false,
  required: ['source'],
  properties: {
    source: { type: 'string' },
    targets: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['repo'],
        properties: {
          repo: { type: 'string' },
          paths: { type: 'array', items: { type: 'string' } },
          on_conflict: { enum: ['skip', 'fail', 'overwrite'] },
        },
      },
    },
  },
};

function issueOf(text: string): AutocodeError {
  try {
    parseConfig(text, 'cfg.yaml', schema);
  } catch (err) {
    return err as AutocodeError;
  }
  throw new Error('expected the config to be rejected');
}

describe('parseConfig', () => {
  it('returns the data for a valid file', () => {
    expect(parseConfig('source: a/b\ntargets:\n  - repo: a/c\n', 'cfg.yaml', schema)).toEqual({
      source: 'a/b',
      targets: [{ repo: 'a/c' }],
    });
  });

  it('points a YAML syntax error at its line and column', () => {
    const err = issueOf('source: a/b\ntargets:\n  - repo: "unterminated\n');
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.location?.file).toBe('cfg.yaml');
    expect(err.location?.line).toBeGreaterThanOrEqual(3);
    expect(err.describe()).toMatch(/^cfg\.yaml:\d+:\d+: YAML syntax error/);
  });

  it('points a bad indentation at its line', () => {
    const err = issueOf('source: a/b\ntargets:\n  - repo: a/c\n   paths: [x]\n');
    expect(err.code).toBe('CONFIG_INVALID');
    expect(err.location?.line).toBe(4);
  });

  it('names an unknown key with its position', () => {
    const err = issueOf('source: a/b\ntargets:\n  - repo: a/c\n    pathz: [x]\n');
    expect(err.message).toContain('cfg.yaml:4:5: targets[0].pathz: unknown key "pathz"');
    expect(err.location).toEqual({ file: 'cfg.yaml', line: 4, column: 5 });
  });

  it('names a wrong type at the value position', () => {
    const err = issueOf('source: a/b\ntargets:\n  - repo: a/c\n    paths: docs/\n');
    expect(err.message).toContain('cfg.yaml:4:12: targets[0].paths: must be array');
  });

  it('lists allowed values for an enum', () => {
    const err = issueOf('source: a/b\ntargets:\n  - repo: a/c\n    on_conflict: merge\n');
    expect(err.message).toContain('targets[0].on_conflict: must be one of "skip", "fail", "overwrite"');
    expect(err.location?.line).toBe(4);
  });

  it('reports a missing required key on its parent', () => {
    const err = issueOf('source: a/b\ntargets:\n  - paths: [x]\n');
    expect(err.message).toContain('cfg.yaml:3:5: targets[0]: missing required key "repo"');
  });

  it('rejects duplicate keys', () => {
    const err = issueOf('source: a/b\nsource: c/d\n');
    expect(err.message).toMatch(/duplicated mapping key/);
    expect(err.location?.line).toBe(2);
  });

  it('rejects an empty file', () => {
    expect(issueOf('').message).toMatch(/empty/);
  });
});

describe('AutocodeError.describe', () => {
  it('prints a config issue position once', () => {
    const err = issueOf('source: a/b\ntargets:\n  - repo: a/c\n    pathz: [x]\n');
    expect(err.describe().match(/cfg\.yaml:4:5:/g)).toHaveLength(1);
  });
});
