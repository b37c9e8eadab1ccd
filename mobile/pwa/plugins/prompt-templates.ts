/**
 * Vite plugin: `virtual:prompt-templates` lists the prompt templates in `prompts/*.md`, read from their YAML
 * front matter at build time (name, description, inputs, command). Only that metadata reaches the app: the
 * template bodies stay with codegen, which renders them on the runner.
 */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import type { Plugin } from 'vite';
import { parse } from 'yaml';

const ID = 'virtual:prompt-templates';
const RESOLVED = `\0${ID}`;
const COMMANDS = ['codegen', 'sync', 'policy-check', 'rotate-secrets'];

export interface TemplateMeta {
  id: string;
  name: string;
  description?: string;
  command: string;
  inputs: { name: string; description?: string; required?: boolean }[];
}

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** Inputs may be a list of names, a list of `{ name, description, required }`, or a map name → description/spec. */
function inputsOf(raw: unknown): TemplateMeta['inputs'] {
  const one = (name: string, spec: unknown) => ({
    name,
    ...(text(spec) ? { description: text(spec) } : {}),
    ...(isObj(spec) && text(spec.description) ? { description: text(spec.description) } : {}),
    ...(isObj(spec) && typeof spec.required === 'boolean' ? { required: spec.required } : {}),
  });
  if (Array.isArray(raw)) {
    return raw.flatMap((i) =>
      typeof i === 'string' ? [one(i, undefined)] : isObj(i) && text(i.name) ? [one(text(i.name)!, i)] : [],
    );
  }
  return isObj(raw) ? Object.entries(raw).map(([name, spec]) => one(name, spec)) : [];
}

/** The front matter of one template file, or undefined when it has none (a README, say). */
export function templateMeta(file: string, source: string): TemplateMeta | undefined {
  const m = /^---\r?\n([\s\S]*?)\r?\n---/.exec(source);
  if (!m) return undefined;
  const fm: unknown = parse(m[1] ?? '');
  if (!isObj(fm)) return undefined;
  const id = basename(file, '.md');
  const command = text(fm.command) ?? 'codegen';
  return {
    id,
    name: text(fm.title) ?? text(fm.name) ?? id,
    ...(text(fm.description) ? { description: text(fm.description) } : {}),
    command: COMMANDS.includes(command) ? command : 'codegen',
    inputs: inputsOf(fm.inputs),
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
