/**
 * Vite plugin: `virtual:prompt-templates` lists the selectable codegen templates in `prompts/*.md`, read from
 * their YAML front matter at build time (name, description). Only that metadata reaches the app: the bodies
 * stay with codegen, which renders them on the runner.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Plugin } from 'vite';
import { parse } from 'yaml';

const ID = 'virtual:prompt-templates';
const RESOLVED = `\0${ID}`;

export interface TemplateMeta {
  /** The template's `name`: what codegen selects by (`/name` at the start of the command text). */
  id: string;
  /** For people: the name with spaces. */
  name: string;
  description?: string;
  command: 'codegen';
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/**
 * The selectable template a file defines, or undefined (no front matter, or `selectable: false`: internal
 * rounds such as fix-up and review). `inputs` are codegen's render variables, not questions for the user.
 */
export function templateMeta(file: string, source: string): TemplateMeta | undefined {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(source);
  if (!m) return undefined;
  const fm: unknown = parse(m[1] ?? '');
  if (!isObj(fm) || fm.selectable === false) return undefined;
  const id = text(fm.name) ?? basename(file, '.md');
  return {
    id,
    name: id.replace(/[_-]+/g, ' '),
    ...(text(fm.description) ? { description: text(fm.description) } : {}),
    command: 'codegen',
  };
}

export function readTemplates(dir: string): TemplateMeta[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.md') && f.toLowerCase() !== 'readme.md')
    .sort()
    .flatMap((f) => {
      const meta = templateMeta(f, readFileSync(join(dir, f), 'utf8'));
      return meta ? [meta] : [];
    });
}

export function promptTemplates(dir: string): Plugin {
  return {
    name: 'autocode-prompt-templates',
    resolveId: (id) => (id === ID ? RESOLVED : undefined),
    load(id) {
      if (id !== RESOLVED) return undefined;
      if (existsSync(dir)) this.addWatchFile(dir);
      return `export const templates = ${JSON.stringify(readTemplates(dir))};`;
    },
  };
}
