/** Shared helpers for the operations tests: repository paths and YAML loading (single and multi-document). */
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import yaml from 'js-yaml';

export const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export function readText(rel: string): string {
  return readFileSync(join(root, rel), 'utf8');
}

/** Parse one YAML document (js-yaml rejects duplicate keys, so a copy-paste slip fails the test). */
export function loadYaml<T = Record<string, unknown>>(rel: string): T {
  return yaml.load(readText(rel), { filename: rel }) as T;
}

export function loadYamlAll<T = Record<string, unknown>>(rel: string): T[] {
  return yaml.loadAll(readText(rel), undefined, { filename: rel }).filter((d) => d != null) as T[];
}

export function filesIn(rel: string, ext: string): string[] {
  return readdirSync(join(root, rel))
    .filter((f) => f.endsWith(ext))
    .sort()
    .map((f) => `${rel}/${f}`);
}

/** Poll until `check` holds (work that finishes after a response: dispatch listeners, outbox delivery). */
export async function until(check: () => boolean, ms = 15_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 25));
  }
}
