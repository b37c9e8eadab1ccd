/** Where the project keeps its local tools and state; shared by CLI commands. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const toolsBin = join(repoRoot, '.tools', 'bin');

export interface ToolSpec {
  module?: string;
  version?: string;
  package?: string;
  binary?: string;
  for: string;
}

export function pinnedTools(): { go: Record<string, ToolSpec>; apt: Record<string, ToolSpec> } {
  return JSON.parse(readFileSync(join(repoRoot, 'tools.json'), 'utf8')) as {
    go: Record<string, ToolSpec>;
    apt: Record<string, ToolSpec>;
  };
}

/** Resolve a tool: the project-local .tools/bin first, then PATH. */
export function findTool(name: string, pathEnv = process.env.PATH ?? ''): string | undefined {
  const local = join(toolsBin, name);
  if (existsSync(local)) return local;
  for (const dir of pathEnv.split(':')) {
    if (dir && existsSync(join(dir, name))) return join(dir, name);
  }
  return undefined;
}
