/**
 * Config loading: YAML parsed with js-yaml, validated against a JSON Schema (ajv). Every error names
 * file:line:column and the offending key, so a user can jump straight to it.
 */
import yaml from 'js-yaml';
import { LineCounter, parseDocument, isMap, isPair, isScalar } from 'yaml';
import type { Node as YamlNode, Pair } from 'yaml';
import { Ajv } from 'ajv';
import type { ErrorObject, ValidateFunction } from 'ajv';
import { AutocodeError, ErrorCodes } from './errors.js';
import type { SourceLocation } from './errors.js';

export interface ConfigIssue {
  location: SourceLocation;
  /** Dotted path of the offending key, e.g. `targets[0].paths`. */
  key: string;
  message: string;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const compiled = new WeakMap<object, ValidateFunction>();

function validatorFor(schema: object): ValidateFunction {
  let v = compiled.get(schema);
  if (!v) {
    v = ajv.compile(schema);
    compiled.set(schema, v);
  }
  return v;
}

/** Parse YAML text and validate it; throws CONFIG_INVALID listing every issue with its position. */
export function parseConfig<T>(text: string, file: string, schema: object): T {
  let data: unknown;
  try {
    data = yaml.load(text, { filename: file, schema: yaml.CORE_SCHEMA });
  } catch (err) {
    const e = err as { mark?: { line: number; column: number }; reason?: string; message: string };
    const location = { file, line: (e.mark?.line ?? 0) + 1, column: (e.mark?.column ?? 0) + 1 };
    throw new AutocodeError(ErrorCodes.CONFIG_INVALID, `YAML syntax error: ${e.reason ?? e.message}`, {
      cause: err,
      location,
      hint: 'fix the YAML syntax at that position (indentation, quotes, a missing ":")',
    });
  }
  if (data === undefined || data === null) {
    throw new AutocodeError(ErrorCodes.CONFIG_INVALID, 'The config file is empty', {
      location: { file, line: 1, column: 1 },
      hint: 'see the JSON Schema for the expected keys',
    });
  }
  const validate = validatorFor(schema);
  if (validate(data)) return data as T;
  const issues = locateIssues(text, file, validate.errors ?? []);
  const first = issues[0];
  throw new AutocodeError(
    ErrorCodes.CONFIG_INVALID,
    issues
      .map((i) => `${i.location.file}:${i.location.line}:${i.location.column}: ${i.key}: ${i.message}`)
      .join('\n'),
    {
      location: first?.location,
      details: { issues },
      hint: 'fix the keys listed above (see the JSON Schema)',
    },
  );
}

/** Map ajv errors to positions in the YAML source. */
export function locateIssues(text: string, file: string, errors: ErrorObject[]): ConfigIssue[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  const seen = new Set<string>();
  const issues: ConfigIssue[] = [];
  for (const err of errors) {
    const path = pointerToPath(err.instancePath);
    let keyPath = path;
    let message = err.message ?? 'is invalid';
    let node: YamlNode | Pair | undefined = nodeAt(doc.contents as YamlNode | null, path);
    if (err.keyword === 'additionalProperties') {
      const extra = String((err.params as { additionalProperty: string }).additionalProperty);
      keyPath = [...path, extra];
      node = pairAt(doc.contents as YamlNode | null, path, extra) ?? node;
      message = `unknown key "${extra}"`;
    } else if (err.keyword === 'required') {
      message = `missing required key "${(err.params as { missingProperty: string }).missingProperty}"`;
    } else if (err.keyword === 'enum') {
      message = `must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    }
    const offset = rangeStart(node);
    const pos = lineCounter.linePos(offset);
    const key = formatPath(keyPath);
    const dedupe = `${key}|${message}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    issues.push({ location: { file, line: pos.line, column: pos.col }, key, message });
  }
  return issues;
}

function pointerToPath(pointer: string): (string | number)[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split('/')
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

function formatPath(path: (string | number)[]): string {
  if (path.length === 0) return '(root)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function nodeAt(root: YamlNode | null, path: (string | number)[]): YamlNode | undefined {
  let node: unknown = root;
  for (const seg of path) {
    if (!node || typeof node !== 'object' || !('items' in node)) return node as YamlNode | undefined;
    const items = (node as { items: unknown[] }).items;
    if (typeof seg === 'number') node = items[seg];
    else {
      const pair = items.find((p) => isPair(p) && isScalar(p.key) && String(p.key.value) === seg) as
        Pair | undefined;
      node = pair?.value ?? pair?.key;
    }
  }
  return (node ?? undefined) as YamlNode | undefined;
}

function pairAt(root: YamlNode | null, path: (string | number)[], key: string): Pair | undefined {
  const parent = nodeAt(root, path);
  if (!isMap(parent)) return undefined;
  return parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key) as Pair | undefined;
}

function rangeStart(node: YamlNode | Pair | undefined): number {
  if (!node) return 0;
  if (isPair(node)) return rangeStart(node.key as YamlNode);
  return (node as { range?: [number, number, number] }).range?.[0] ?? 0;
}
