/**
 * A small declarative validator for request bodies. Ajv compiles schemas with `new Function`, which workerd
 * forbids, so the Worker validates with this interpreter instead. Unknown properties are rejected: a typo in a
 * field name should fail loudly, not be ignored.
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';

export type Schema =
  | { type: 'string'; minLength?: number; maxLength?: number; pattern?: RegExp; enum?: readonly string[] }
  | { type: 'integer' | 'number'; minimum?: number; maximum?: number }
  | { type: 'boolean' }
  | { type: 'array'; items: Schema; maxItems?: number }
  | { type: 'object'; properties: Record<string, Schema>; required?: readonly string[] }
  | { type: 'record'; values: Schema; maxKeys?: number }
  | { type: 'any' };

function fail(path: string, what: string): never {
  throw new AutocodeError(ErrorCodes.INVALID_INPUT, `${path || 'body'}: ${what}`);
}

function check(value: unknown, schema: Schema, path: string): void {
  switch (schema.type) {
    case 'any':
      return;
    case 'string':
      if (typeof value !== 'string') fail(path, 'must be a string');
      if (schema.minLength !== undefined && value.length < schema.minLength)
        fail(path, `must have at least ${schema.minLength} characters`);
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        fail(path, `must have at most ${schema.maxLength} characters`);
      if (schema.pattern && !schema.pattern.test(value)) fail(path, `must match ${schema.pattern}`);
      if (schema.enum && !schema.enum.includes(value)) fail(path, `must be one of ${schema.enum.join(', ')}`);
      return;
    case 'integer':
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) fail(path, 'must be a number');
      if (schema.type === 'integer' && !Number.isInteger(value)) fail(path, 'must be an integer');
      if (schema.minimum !== undefined && value < schema.minimum) fail(path, `must be ≥ ${schema.minimum}`);
      if (schema.maximum !== undefined && value > schema.maximum) fail(path, `must be ≤ ${schema.maximum}`);
      return;
    case 'boolean':
      if (typeof value !== 'boolean') fail(path, 'must be a boolean');
      return;
    case 'array':
      if (!Array.isArray(value)) fail(path, 'must be an array');
      if (schema.maxItems !== undefined && value.length > schema.maxItems)
        fail(path, `must have at most ${schema.maxItems} items`);
      value.forEach((v, i) => check(v, schema.items, `${path}[${i}]`));
      return;
    case 'record': {
      if (!isObject(value)) fail(path, 'must be an object');
      const keys = Object.keys(value);
      if (schema.maxKeys !== undefined && keys.length > schema.maxKeys)
        fail(path, `must have at most ${schema.maxKeys} keys`);
      for (const k of keys) check(value[k], schema.values, `${path}.${k}`);
      return;
    }
    case 'object': {
      if (!isObject(value)) fail(path, 'must be an object');
      for (const r of schema.required ?? [])
        if (value[r] === undefined) fail(`${path}.${r}`.replace(/^\./, ''), 'is required');
      for (const [k, v] of Object.entries(value)) {
        const sub = schema.properties[k];
        if (!sub) fail(path, `unknown property "${k}"`);
        if (v !== undefined) check(v, sub, path ? `${path}.${k}` : k);
      }
      return;
    }
  }
}

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Validate and narrow: the caller names the type the schema describes. */
export function validate<T>(value: unknown, schema: Schema): T {
  check(value, schema, '');
  return value as T;
}

export const REPO_PATTERN = /^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/;
