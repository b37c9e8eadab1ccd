/**
 * Prompt templates: `prompts/*.md`, YAML front matter (name, description, inputs, edit format, selection
 * keywords) then a `## system` and a `## user` section. Rendering is one pass of `{{ name }}` substitution
 * over declared inputs: no expressions, helpers, partials or includes, so a template (or a value spliced into
 * it) can never execute code, and a value containing `{{…}}` is inserted literally, never expanded again.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AutocodeError, ErrorCodes, parseConfig } from '@autocode/toolkit';

export type EditFormat = 'unified-diff' | 'search-replace';

export interface PromptTemplate {
  name: string;
  description: string;
  inputs: string[];
  edit_format: EditFormat;
  /** Words in a command that select this template (see selectTemplate). */
  keywords: string[];
  /** Tie-break among equal keyword scores: higher wins. */
  priority: number;
  /** Internal templates (fix-up, review) are never chosen from a command. */
  selectable: boolean;
  /** Chosen when no keyword matches. Exactly one selectable template should set it. */
  default: boolean;
  max_output_tokens: number;
  system: string;
  user: string;
  file: string;
}

const frontMatterSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'description', 'inputs', 'edit_format'],
  properties: {
    name: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' },
    description: { type: 'string', minLength: 1 },
    inputs: { type: 'array', items: { type: 'string', pattern: '^[a-z][a-z0-9_]*$' }, uniqueItems: true },
    edit_format: { enum: ['unified-diff', 'search-replace'] },
    keywords: { type: 'array', items: { type: 'string', minLength: 1 } },
    priority: { type: 'integer' },
    selectable: { type: 'boolean' },
    default: { type: 'boolean' },
    max_output_tokens: { type: 'integer', minimum: 64, maximum: 128000 },
  },
} as const;

type FrontMatter = Pick<PromptTemplate, 'name' | 'description' | 'inputs' | 'edit_format'> &
  Partial<Pick<PromptTemplate, 'keywords' | 'priority' | 'selectable' | 'default' | 'max_output_tokens'>>;

const PLACEHOLDER = /\{\{\s*([a-z][a-z0-9_]*)\s*\}\}/g;

function invalid(file: string, line: number, message: string, hint?: string): AutocodeError {
  return new AutocodeError(ErrorCodes.CONFIG_INVALID, message, {
    location: { file, line, column: 1 },
    hint: hint ?? 'see prompts/README.md for the template format',
  });
}

/** Parse one template file's text. Errors name file:line. */
export function parseTemplate(text: string, file: string): PromptTemplate {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  if (lines[0] !== '---') throw invalid(file, 1, 'a template must start with a `---` front matter block');
  const end = lines.indexOf('---', 1);
  if (end < 0) throw invalid(file, 1, 'the front matter block is not closed with `---`');
  let fm: FrontMatter;
  try {
    fm = parseConfig<FrontMatter>(lines.slice(1, end).join('\n'), file, frontMatterSchema);
  } catch (err) {
    const e = err as AutocodeError;
    // parseConfig counts from the front matter's first line; the file has `---` above it.
    if (e.location) throw invalid(file, e.location.line + 1, e.message);
    throw err;
  }
  const sections: Record<string, string[]> = {};
  let current: string | undefined;
  for (let i = end + 1; i < lines.length; i++) {
    const heading = /^## (system|user)\s*$/.exec(lines[i]!);
    if (heading) {
      current = heading[1]!;
      if (sections[current]) throw invalid(file, i + 1, `duplicate \`## ${current}\` section`);
      sections[current] = [];
    } else if (current) sections[current]!.push(lines[i]!);
    else if (lines[i]!.trim()) throw invalid(file, i + 1, 'text before the `## system` section');
  }
  if (!sections.system || !sections.user) {
    throw invalid(file, end + 2, 'a template needs a `## system` and a `## user` section');
  }
  const template: PromptTemplate = {
    keywords: [],
    priority: 0,
    selectable: true,
    default: false,
    max_output_tokens: 8192,
    ...fm,
    system: sections.system.join('\n').trim(),
    user: sections.user.join('\n').trim(),
    file,
  };
  for (const [section, body] of [
    ['system', template.system],
    ['user', template.user],
  ] as const) {
    for (const m of body.matchAll(PLACEHOLDER)) {
      if (!template.inputs.includes(m[1]!)) {
        throw invalid(
          file,
          end + 2,
          `{{${m[1]}}} in ## ${section} is not a declared input`,
          'add it to `inputs:`',
        );
      }
    }
  }
  return template;
}

/** Every `*.md` in `dir` except README.md, keyed by name. Duplicate names are an error. */
export function loadTemplates(dir: string): Map<string, PromptTemplate> {
  const templates = new Map<string, PromptTemplate>();
  let files: string[];
  try {
    files = readdirSync(dir).filter((f) => f.endsWith('.md') && f !== 'README.md');
  } catch (err) {
    throw new AutocodeError(ErrorCodes.CONFIG_INVALID, `cannot read the prompts directory ${dir}`, {
      cause: err,
      hint: 'set prompts-dir to the folder holding the *.md templates',
    });
  }
  for (const f of files.sort()) {
    const file = join(dir, f);
    const t = parseTemplate(readFileSync(file, 'utf8'), file);
    if (templates.has(t.name)) throw invalid(file, 2, `template name ${t.name} is used twice`);
    templates.set(t.name, t);
  }
  return templates;
}

/** Render both sections. Every declared input must be given (an empty string is a value). */
export function renderTemplate(
  template: PromptTemplate,
  values: Record<string, string>,
): { system: string; user: string } {
  const missing = template.inputs.filter((i) => typeof values[i] !== 'string');
  if (missing.length) {
    throw new AutocodeError(
      ErrorCodes.INTERNAL,
      `template ${template.name} is missing inputs: ${missing.join(', ')}`,
    );
  }
  // A replacer function: `$&`/`$1` in values stay literal, and the output is never scanned again.
  const fill = (body: string) => body.replace(PLACEHOLDER, (_m, name: string) => values[name]!);
  return { system: fill(template.system), user: fill(template.user) };
}

export interface TemplateChoice {
  template: PromptTemplate;
  /** How it was chosen, for the PR body. */
  reason: string;
  /** The command without a leading `/template` prefix. */
  command: string;
}

const wordsOf = (text: string) => text.toLowerCase().match(/[a-z0-9]+/g) ?? [];

/** Where a keyword (a word or a phrase) first occurs in the command's words, or -1. */
function keywordAt(commandWords: string[], keyword: string): number {
  const kw = wordsOf(keyword);
  for (let i = 0; i + kw.length <= commandWords.length; i++) {
    if (kw.every((w, j) => commandWords[i + j] === w)) return i;
  }
  return -1;
}

/** A command's verb phrase says what to do ("Add tests for the API"), so early hits weigh double. */
const LEADING_WORDS = 4;

/**
 * Template selection (documented in prompts/README.md):
 * 1. an explicit name (input `template` / `--template`);
 * 2. a command starting with `/<name>` (the prefix is removed from the command);
 * 3. the selectable template with the highest keyword score: each keyword (a word or a phrase) found in the
 *    command scores 1, or 2 when it starts within the first four words; ties broken by `priority`, then name;
 * 4. otherwise the template marked `default: true`.
 */
export function selectTemplate(
  templates: Map<string, PromptTemplate>,
  command: string,
  explicit?: string,
): TemplateChoice {
  const pick = (name: string, reason: string, cmd: string): TemplateChoice => {
    const template = templates.get(name);
    if (!template || !template.selectable) {
      const names = [...templates.values()].filter((t) => t.selectable).map((t) => t.name);
      throw new AutocodeError(ErrorCodes.INVALID_INPUT, `unknown template "${name}"`, {
        hint: `use one of ${names.join(', ')}`,
      });
    }
    return { template, reason, command: cmd };
  };
  if (explicit) return pick(explicit, 'named explicitly', command);
  const prefixed = /^\/([a-z][a-z0-9_]*)\b\s*/.exec(command);
  if (prefixed)
    return pick(prefixed[1]!, `command prefix /${prefixed[1]}`, command.slice(prefixed[0].length));
  const have = wordsOf(command);
  let best: { t: PromptTemplate; hits: string[]; score: number } | undefined;
  for (const t of [...templates.values()].sort((a, b) => a.name.localeCompare(b.name))) {
    if (!t.selectable) continue;
    const found = t.keywords.map((k) => ({ k, at: keywordAt(have, k) })).filter((h) => h.at >= 0);
    if (found.length === 0) continue;
    const score = found.reduce((n, h) => n + (h.at < LEADING_WORDS ? 2 : 1), 0);
    if (!best || score > best.score || (score === best.score && t.priority > best.t.priority)) {
      best = { t, hits: found.map((h) => h.k), score };
    }
  }
  if (best) return { template: best.t, reason: `keywords: ${best.hits.join(', ')}`, command };
  const fallback = [...templates.values()].find((t) => t.selectable && t.default);
  if (!fallback) {
    throw new AutocodeError(ErrorCodes.CONFIG_INVALID, 'no template matched and none is marked default', {
      hint: 'mark one selectable template `default: true`, or pass a template name',
    });
  }
  return { template: fallback, reason: 'default (no keyword matched)', command };
}
