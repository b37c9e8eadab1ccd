/**
 * Where `uses:` points. A runner downloads `owner/repo/path@ref` from GitHub; the local runner takes the
 * autocode suite itself from this checkout ("home": the repositories named in `homeRepos`, any ref), and
 * other repositories from the forge at the given ref. `./path` resolves in the repository of the workflow that
 * names it, at the same commit (reusable workflows) — local actions would need a checkout and are refused.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { Forge } from '../forge/index.js';
import type { UsesRef } from './workflow.js';

/** Where a workflow file was read from: this checkout, or a forge repository at a commit. */
export type Origin = { kind: 'home' } | { kind: 'forge'; repo: string; ref: string };

export interface ActionDef {
  dir: string;
  name: string;
  inputs: Record<string, { default?: string; required?: boolean }>;
  runs: { using: string; main?: string };
}

export interface Sources {
  workflow(ref: UsesRef, from: Origin): Promise<{ text: string; file: string; origin: Origin }>;
  action(ref: UsesRef): ActionDef;
  /** A file of a forge repository at a ref, or undefined when absent. */
  repoFile(repo: string, path: string, ref: string): Promise<string | undefined>;
}

export interface SourcesOptions {
  forge: Forge;
  /** The autocode checkout (its `actions/` and `.github/workflows/`). */
  homeDir: string;
  /** `owner/repo` names that mean this checkout, e.g. InfinityXOneSystems/autocode. */
  homeRepos: string[];
  token: () => string;
}

const notFound = (what: string, hint?: string) =>
  new AutocodeError(ErrorCodes.NOT_FOUND, what, hint ? { hint } : {});

export function createSources(opts: SourcesOptions): Sources {
  const isHome = (owner: string, repo: string) =>
    opts.homeRepos.some((h) => h.toLowerCase() === `${owner}/${repo}`.toLowerCase());

  async function repoFile(repo: string, path: string, ref: string): Promise<string | undefined> {
    const res = await fetch(
      `${opts.forge.apiUrl}/repos/${repo}/contents/${path.split('/').map(encodeURIComponent).join('/')}?ref=${encodeURIComponent(ref)}`,
      { headers: { authorization: `token ${opts.token()}`, accept: 'application/vnd.github+json' } },
    );
    if (res.status === 404) return undefined;
    if (!res.ok) throw new Error(`forge: reading ${repo}/${path}@${ref}: ${res.status} ${await res.text()}`);
    const body = (await res.json()) as { type?: string; content?: string };
    if (body.type !== 'file') return undefined;
    return Buffer.from(body.content ?? '', 'base64').toString('utf8');
  }

  function homeFile(path: string): string | undefined {
    const file = join(opts.homeDir, path);
    return existsSync(file) ? readFileSync(file, 'utf8') : undefined;
  }

  return {
    repoFile,
    async workflow(ref, from) {
      if (ref.kind === 'local') {
        const text =
          from.kind === 'home' ? homeFile(ref.path) : await repoFile(from.repo, ref.path, from.ref);
        const where = from.kind === 'home' ? ref.path : `${from.repo}/${ref.path}@${from.ref}`;
        if (text === undefined) throw notFound(`reusable workflow ${where} does not exist`);
        return { text, file: where, origin: from };
      }
      const full = `${ref.owner}/${ref.repo}`;
      if (isHome(ref.owner, ref.repo)) {
        const text = homeFile(ref.path);
        if (text === undefined)
          throw notFound(`reusable workflow ${full}/${ref.path} is not in this checkout`);
        return { text, file: `${full}/${ref.path}@${ref.ref}`, origin: { kind: 'home' } };
      }
      const text = await repoFile(full, ref.path, ref.ref);
      if (text === undefined)
        throw notFound(`reusable workflow ${full}/${ref.path}@${ref.ref} does not exist`);
      return {
        text,
        file: `${full}/${ref.path}@${ref.ref}`,
        origin: { kind: 'forge', repo: full, ref: ref.ref },
      };
    },
    action(ref) {
      const name = ref.kind === 'local' ? `./${ref.path}` : `${ref.owner}/${ref.repo}/${ref.path}@${ref.ref}`;
      if (ref.kind === 'local' || !isHome(ref.owner, ref.repo)) {
        throw notFound(
          `action ${name} is not available to the local runner`,
          `it runs the autocode actions (${opts.homeRepos.join(', ')}/actions/<name>@<ref>) from this checkout`,
        );
      }
      const dir = join(opts.homeDir, ref.path);
      const file = ['action.yml', 'action.yaml'].map((f) => join(dir, f)).find((f) => existsSync(f));
      if (!file) throw notFound(`action ${name}: ${ref.path}/action.yml is not in this checkout`);
      const def = parse(readFileSync(file, 'utf8')) as Omit<ActionDef, 'dir'>;
      return { ...def, inputs: def.inputs ?? {}, dir };
    },
  };
}
