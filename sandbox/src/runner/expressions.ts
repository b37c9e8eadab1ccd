/**
 * GitHub Actions expressions (`${{ … }}`), evaluated by `@actions/expressions` — GitHub's own parser and
 * evaluator from the Actions language services — so operators, coercions and functions (`format`,
 * `contains`, `fromJSON`, `toJSON`, …) behave as on GitHub. The status functions (`success()`, `failure()`,
 * `always()`, `cancelled()`) depend on the run and are supplied here.
 */
import { Evaluator, Lexer, Parser, data } from '@actions/expressions';
import type { FunctionDefinition } from '@actions/expressions/funcs/info';

/** Contexts available to an expression: `github`, `inputs`, `vars`, `secrets`, `steps`, `needs`, … */
export type Contexts = Record<string, unknown>;

/** What the status functions answer at this point of the run. */
export interface RunStatus {
  /** A previous step (or a needed job) failed. */
  failed: boolean;
  cancelled: boolean;
}

const CONTEXTS = [
  'github',
  'env',
  'vars',
  'job',
  'jobs',
  'steps',
  'runner',
  'secrets',
  'strategy',
  'matrix',
  'needs',
  'inputs',
];

function statusFunctions(status: RunStatus): Map<string, FunctionDefinition> {
  const fn = (name: string, value: () => boolean): [string, FunctionDefinition] => [
    name,
    { name, minArgs: 0, maxArgs: 0, call: () => new data.BooleanData(value()) },
  ];
  return new Map([
    fn('success', () => !status.failed && !status.cancelled),
    fn('failure', () => status.failed),
    fn('always', () => true),
    fn('cancelled', () => status.cancelled),
  ]);
}

/** Plain JSON → the evaluator's data model (dictionaries are case-insensitive, as on GitHub). */
function toData(value: unknown): data.ExpressionData {
  return JSON.parse(JSON.stringify(value ?? null), data.reviver) as data.ExpressionData;
}

/** The evaluator's data model → plain JSON. */
function fromData(value: data.ExpressionData): unknown {
  return JSON.parse(JSON.stringify(value, data.replacer)) as unknown;
}

const OK: RunStatus = { failed: false, cancelled: false };

/** Evaluate one expression (without the `${{ }}` wrapper) to a plain value. */
export function evaluate(expression: string, contexts: Contexts, status: RunStatus = OK): unknown {
  const functions = statusFunctions(status);
  const lexed = new Lexer(expression).lex();
  const parsed = new Parser(lexed.tokens, CONTEXTS, [...functions.values()]).parse();
  const dict = toData(contexts) as data.Dictionary;
  return fromData(new Evaluator(parsed, dict, functions).evaluate());
}

/** GitHub's string form of a value: null → '', numbers and booleans as written, objects as JSON. */
export function asString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/** GitHub's truthiness: false, 0, -0, '', null and NaN are falsy. */
export function truthy(value: unknown): boolean {
  return !(value === false || value === 0 || value === '' || value === null || Number.isNaN(value));
}

const WHOLE = /^\s*\$\{\{([\s\S]*)\}\}\s*$/;
const PART = /\$\{\{([\s\S]*?)\}\}/g;

/**
 * Evaluate a workflow value: a string that is one whole `${{ }}` keeps the expression's type; a string with
 * embedded expressions becomes a string; arrays and objects are evaluated member by member.
 */
export function interpolate(value: unknown, contexts: Contexts, status: RunStatus = OK): unknown {
  if (typeof value === 'string') {
    const whole = WHOLE.exec(value);
    if (whole && !whole[1]!.includes('}}')) return evaluate(whole[1]!, contexts, status);
    return value.replace(PART, (_m, expr: string) => asString(evaluate(expr, contexts, status)));
  }
  if (Array.isArray(value)) return value.map((v) => interpolate(v, contexts, status));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, interpolate(v, contexts, status)]));
  }
  return value;
}

/** An `if:` condition: a bare expression or one wrapped in `${{ }}`; absent means `success()`. */
export function condition(value: unknown, contexts: Contexts, status: RunStatus): boolean {
  if (value === undefined || value === null || value === '') return !status.failed && !status.cancelled;
  if (typeof value === 'boolean') return value;
  const text = String(value);
  const whole = WHOLE.exec(text);
  const expr = whole ? whole[1]! : text;
  // GitHub adds an implicit success() unless the condition names a status function itself.
  const explicit = /\b(success|failure|always|cancelled)\s*\(/i.test(expr);
  const result = truthy(evaluate(expr, contexts, status));
  return explicit ? result : result && !status.failed && !status.cancelled;
}
