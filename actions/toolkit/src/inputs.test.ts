import { describe, expect, it } from '@jest/globals';
import {
  actionInputReader,
  readBoolean,
  readEnum,
  readInteger,
  readList,
  readRepo,
  readString,
  recordInputReader,
} from './inputs.js';

describe('input readers', () => {
  it('read action inputs and CLI flags into the same values', () => {
    const action = actionInputReader({
      INPUT_DRY_RUN: 'true',
      INPUT_MAX_FILES: '7',
      'INPUT_TARGET-REPO': 'acme/mvp',
    });
    const cli = recordInputReader({ dryRun: true, maxFiles: 7, targetRepo: 'acme/mvp' });
    for (const reader of [action, cli]) {
      expect(readBoolean(reader, 'dry_run', false)).toBe(true);
      expect(readInteger(reader, 'max_files', 1)).toBe(7);
      expect(readRepo(reader, 'target-repo')).toEqual({ owner: 'acme', repo: 'mvp' });
    }
  });

  it('names the input or the flag in errors', () => {
    expect(() => readString(actionInputReader({}), 'token', { required: true })).toThrow(
      'input `token` is required',
    );
    expect(() => readString(recordInputReader({}), 'token', { required: true })).toThrow(
      'flag --token is required',
    );
  });

  it('rejects malformed booleans, integers, enums and repos with what was given', () => {
    const r = recordInputReader({ a: 'maybe', n: '1.5', e: 'merge', repo: '../etc' });
    expect(() => readBoolean(r, 'a', false)).toThrow('must be true or false, got "maybe"');
    expect(() => readInteger(r, 'n', 1)).toThrow('must be a whole number, got "1.5"');
    expect(() => readEnum(r, 'e', ['skip', 'fail'] as const, 'skip')).toThrow(
      'must be one of skip, fail, got "merge"',
    );
    expect(() => readRepo(r, 'repo')).toThrow('must look like owner/repo');
  });

  it('enforces integer bounds and splits lists on commas and newlines', () => {
    const r = recordInputReader({ n: '0', list: 'a, b\nc,,' });
    expect(() => readInteger(r, 'n', 1, { min: 1 })).toThrow('between 1 and ∞');
    expect(readList(r, 'list')).toEqual(['a', 'b', 'c']);
    expect(readList(r, 'missing', ['x'])).toEqual(['x']);
  });
});
