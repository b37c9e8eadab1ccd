/**
 * Inputs: action inputs (`INPUT_*` via @actions/core) and CLI flags feed the same typed options objects
 * through one reader port, so cores never read `process.env` and both entries validate identically.
 */
import { AutocodeError, ErrorCodes } from './errors.js';

/** Reads a raw input by its action-input name (kebab or snake case, as in action.yml). */
export interface InputReader {
  get(name: string): string | undefined;
  /** How to name an input in messages ("input `token`" vs "flag --token"). */
  describe(name: string): string;
}

/** Reader over a plain record (CLI flags already parsed, or tests). */
export function recordInputReader(
  values: Record<string, unknown>,
  kind: 'flag' | 'input' = 'flag',
): InputReader {
  return {
    get(name) {
      const camel = name.replace(/[-_]([a-z])/g, (_m, c: string) => c.toUpperCase());
      const v = values[name] ?? values[camel];
      if (v === undefined || v === null || v === '') return undefined;
      return Array.isArray(v) ? v.join('\n') : String(v);
    },
    describe: (name) => (kind === 'flag' ? `flag --${name.replace(/_/g, '-')}` : `input \`${name}\``),
  };
}

/** Reader over the runner's `INPUT_<NAME>` environment, exactly as @actions/core reads it. */
export function actionInputReader(env: Record<string, string | undefined>): InputReader {
  return {
    get(name) {
      const v = env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`];
      const t = v?.trim();
      return t ? t : undefined;
    },
    describe: (name) => `input \`${name}\``,
  };
}

function invalid(reader: InputReader, name: string, problem: string, hint?: string): AutocodeError {
  return new AutocodeError(ErrorCodes.INVALID_INPUT, `${reader.describe(name)} ${problem}`, {
    hint,
    details: { input: name },
  });
}

export function readString(reader: InputReader, name: string, opts: { required: true }): string;
export function readString(
  reader: InputReader,
  name: string,
  opts?: { default?: string },
): string | undefined;
export function readString(
  reader: InputReader,
  name: string,
  opts: { required?: boolean; default?: string } = {},
): string | undefined {
  const v = reader.get(name) ?? opts.default;
  if (v === undefined && opts.required) throw invalid(reader, name, 'is required');
  return v;
}

export function readBoolean(reader: InputReader, name: string, fallback: boolean): boolean {
  const v = reader.get(name);
  if (v === undefined) return fallback;
  if (/^(true|yes|1|on)$/i.test(v)) return true;
  if (/^(false|no|0|off)$/i.test(v)) return false;
  throw invalid(reader, name, `must be true or false, got "${v}"`);
}

export function readInteger(
  reader: InputReader,
  name: string,
  fallback: number,
  bounds: { min?: number; max?: number } = {},
): number {
  const v = reader.get(name);
  if (v === undefined) return fallback;
  if (!/^-?\d+$/.test(v)) throw invalid(reader, name, `must be a whole number, got "${v}"`);
  const n = Number(v);
  if ((bounds.min !== undefined && n < bounds.min) || (bounds.max !== undefined && n > bounds.max)) {
    throw invalid(reader, name, `must be between ${bounds.min ?? '-∞'} and ${bounds.max ?? '∞'}, got ${n}`);
  }
  return n;
}

/** Newline- or comma-separated list, blanks dropped. */
export function readList(reader: InputReader, name: string, fallback: string[] = []): string[] {
  const v = reader.get(name);
  if (v === undefined) return fallback;
  return v
    .split(/[\n,]/)
    .map((s) => s.trim())
    .filter(Boolean);
}

export function readEnum<T extends string>(
  reader: InputReader,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const v = reader.get(name);
  if (v === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(v)) {
    throw invalid(reader, name, `must be one of ${allowed.join(', ')}, got "${v}"`);
  }
  return v as T;
}

/** `owner/repo` → parts, validated. */
export function readRepo(
  reader: InputReader,
  name: string,
  fallback?: string,
): { owner: string; repo: string } {
  const v = reader.get(name) ?? fallback;
  if (!v) throw invalid(reader, name, 'is required (owner/repo)');
  const m = /^([A-Za-z0-9](?:[A-Za-z0-9-]{0,38}))\/([A-Za-z0-9._-]{1,100})$/.exec(v);
  if (!m || m[2] === '.' || m[2] === '..')
    throw invalid(reader, name, `must look like owner/repo, got "${v}"`);
  return { owner: m[1]!, repo: m[2]! };
}
