/**
 * "Install autocode" on sandbox repositories: commit this checkout's entry workflows — those started by an
 * `autocode.*` repository_dispatch — and the reusable workflows they call with `./.github/workflows/…`, into
 * each repository's `.github/workflows/`, as a team adopting autocode would. The forge then creates runs for
 * dispatches exactly as GitHub does (active workflows on the default branch only, so the kill switch's
 * disable stops them). Create-else-update: files already identical are left alone, so a restart writes nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createGitHubClient } from '@autocode/toolkit';
import type { Forge } from '../forge/index.js';
import { dispatchTypesOf, parseUses, parseWorkflow } from './workflow.js';

const WORKFLOWS = '.github/workflows';

/** The workflow files to install: `autocode.*` dispatch entry points and what they call locally. */
export function autocodeWorkflows(homeDir: string, prefix = 'autocode.'): Record<string, string> {
  const dir = join(homeDir, WORKFLOWS);
  const all = Object.fromEntries(
    readdirSync(dir)
      .filter((f) => /\.ya?ml$/.test(f))
      .map((f) => [`${WORKFLOWS}/${f}`, readFileSync(join(dir, f), 'utf8')]),
  );
  const chosen: Record<string, string> = {};
  const add = (path: string) => {
    if (chosen[path] !== undefined || all[path] === undefined) return;
    chosen[path] = all[path];
    for (const job of Object.values(parseWorkflow(all[path], path).jobs)) {
      const ref = job.uses ? parseUses(job.uses) : undefined;
      if (ref?.kind === 'local') add(ref.path);
    }
  };
  for (const [path, text] of Object.entries(all)) {
    if (dispatchTypesOf(parseWorkflow(text, path)).some((t) => t.startsWith(prefix))) add(path);
  }
  return chosen;
}

/** Commit the files that differ in one commit on the default branch; returns the paths written. */
export async function installFiles(
  forge: Forge,
  repo: string,
  files: Record<string, string>,
  token: string,
): Promise<string[]> {
  const gh = createGitHubClient({ auth: { kind: 'token', token }, baseUrl: forge.apiUrl, writeSpacingMs: 0 });
  const [owner, name] = repo.split('/') as [string, string];
  const r = { owner, repo: name };
  const branch = (await gh.rest.repos.get(r)).data.default_branch;
  const head = (await gh.rest.git.getRef({ ...r, ref: `heads/${branch}` })).data.object.sha;
  const changed: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    const now = await gh.rest.repos.getContent({ ...r, path, ref: head }).then(
      ({ data }) => ('content' in data ? Buffer.from(data.content, 'base64').toString('utf8') : undefined),
      (err: { status?: number }) => {
        if (err.status === 404) return undefined;
        throw err;
      },
    );
    if (now !== text) changed.push(path);
  }
  if (changed.length === 0) return [];
  const base = (await gh.rest.git.getCommit({ ...r, commit_sha: head })).data.tree.sha;
  const tree = await gh.rest.git.createTree({
    ...r,
    base_tree: base,
    tree: changed.map((path) => ({ path, mode: '100644', type: 'blob', content: files[path] })),
  });
  const commit = await gh.rest.git.createCommit({
    ...r,
    message: `ci: install autocode workflows (${changed.map((p) => p.split('/').pop()).join(', ')})`,
    tree: tree.data.sha,
    parents: [head],
  });
  await gh.rest.git.updateRef({ ...r, ref: `heads/${branch}`, sha: commit.data.sha });
  return changed;
}

export async function installAutocodeWorkflows(
  forge: Forge,
  opts: { homeDir: string; repos: string[]; token: string },
): Promise<Record<string, string[]>> {
  const files = autocodeWorkflows(opts.homeDir);
  const written: Record<string, string[]> = {};
  for (const repo of opts.repos) written[repo] = await installFiles(forge, repo, files, opts.token);
  return written;
}
