/**
 * Request-body readers. GitHub answers a missing required field with 422 "Invalid request.\n\n"x" wasn't
 * supplied." and a wrongly typed one with 422 "Validation Failed" plus a field error; these do the same.
 */
import type { Ctx } from './router.js';
import { ForgeHttpError, validationFailed, type FieldError } from './http-errors.js';

export function bodyObject(ctx: Ctx): Record<string, unknown> {
  const b = ctx.body;
  if (b === undefined || b === null) return {};
  if (typeof b !== 'object' || Array.isArray(b)) {
    throw new ForgeHttpError(400, 'Problems parsing JSON');
  }
  return b as Record<string, unknown>;
}

function invalid(
  resource: string,
  field: string,
  code: FieldError['code'],
  message?: string,
): ForgeHttpError {
  return validationFailed([{ resource, field, code, ...(message ? { message } : {}) }]);
}

export function reqString(body: Record<string, unknown>, field: string, resource: string): string {
  const v = body[field];
  if (v === undefined || v === null) {
    throw new ForgeHttpError(422, `Invalid request.\n\n"${field}" wasn't supplied.`);
  }
  if (typeof v !== 'string') throw invalid(resource, field, 'invalid', `${field} must be a string`);
  return v;
}

function optTyped<T>(
  body: Record<string, unknown>,
  field: string,
  resource: string,
  is: (v: unknown) => v is T,
  what: string,
): T | undefined {
  const v = body[field];
  if (v === undefined || v === null) return undefined;
  if (!is(v)) throw invalid(resource, field, 'invalid', `${field} must be ${what}`);
  return v;
}

export const optString = (body: Record<string, unknown>, field: string, resource: string) =>
  optTyped(body, field, resource, (v): v is string => typeof v === 'string', 'a string');

export const optBool = (body: Record<string, unknown>, field: string, resource: string) =>
  optTyped(body, field, resource, (v): v is boolean => typeof v === 'boolean', 'a boolean');

export const optStringArray = (body: Record<string, unknown>, field: string, resource: string) =>
  optTyped(
    body,
    field,
    resource,
    (v): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string'),
    'an array of strings',
  );

export function oneOf<T extends string>(
  value: string | undefined,
  allowed: readonly T[],
  field: string,
  resource: string,
) {
  if (value === undefined) return undefined;
  if (!(allowed as readonly string[]).includes(value)) {
    throw invalid(resource, field, 'invalid', `${field} must be one of: ${allowed.join(', ')}`);
  }
  return value as T;
}
