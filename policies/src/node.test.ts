import { describe, expect, it } from '@jest/globals';
import { parsePolicyConfig, parsePolicyInput } from './node.js';

function error(fn: () => unknown): { code: string; message: string; location?: unknown } {
  try {
    fn();
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error('expected an error');
}

describe('parsePolicyInput', () => {
  it('accepts a valid input', () => {
    expect(parsePolicyInput('{"operation": "write"}', 'in.json')).toEqual({ operation: 'write' });
  });

  it('names the JSON syntax error position', () => {
    const e = error(() => parsePolicyInput('{\n  "operation": "write",\n}', 'in.json'));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/in.json is not valid JSON at line 3, column 1/);
  });

  it('names the key that breaks the schema', () => {
    const text = JSON.stringify({ operation: 'deploy', change: { origin: 'robot' } }, null, 2);
    const e = error(() => parsePolicyInput(text, 'in.json'));
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.message).toMatch(/operation: must be one of "write", "merge", "cost"/);
    expect(e.message).toMatch(/change.origin: must be one of "human", "automation", "llm"/);
  });

  it('names unknown keys', () => {
    const e = error(() => parsePolicyInput('{"operation": "write", "approvers": []}', 'in.json'));
    expect(e.message).toMatch(/approvers: unknown key "approvers"/);
  });
});

describe('parsePolicyConfig', () => {
  it('validates YAML config with positions', () => {
    expect(parsePolicyConfig('approvals:\n  required: 2\n', 'p.yaml')).toEqual({
      approvals: { required: 2 },
    });
    expect(() => parsePolicyConfig('protected_paths:\n  mode: maybe\n', 'p.yaml')).toThrow(
      /p.yaml:2:9: protected_paths.mode: must be one of "deny", "review"/,
    );
  });
});
