/**
 * "Install autocode" on sandbox repositories: commit this checkout's entry workflows — those started by an
 * `autocode.*` repository_dispatch — and the reusable workflows they call with `./.github/workflows/…`, into
 * each repository's `.github/workflows/`, as a team adopting autocode would. The forge then creates runs for
 * dispatches exactly as GitHub does (active workflows on the default branch only, so the kill switch's
 * disable stops them). Create-else-update: files already identical are left alone, so a restart writes nothing.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
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

async function api(forge: Forge, token: string, method: string, path: string, body?: unknown) {
  const res = await fetch(`${forge.apiUrl}${path}`, {
    method,
    headers: {
      authorization: `token ${token}`,
      accept: 'application/vnd.github+json',
      'content-type': 'application/json',
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!res.ok && res.status !== 404)
    throw new Error(`forge ${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 404 ? undefined : ((await res.json()) as Record<string, unknown>);
}

/** Commit the files that differ in one commit on the default branch; returns the paths written. */
export async function installFiles(
  forge: Forge,
  repo: string,
  files: Record<string, string>,
  token: string,
): Promise<string[]> {
  const r = `/repos/${repo}`;
  const info = (await api(forge, token, 'GET', r))!;
  const branch = String(info.default_branch);
  const head = (await api(forge, token, 'GET', `${r}/git/ref/heads/${branch}`))!;
  const headSha = String((head.object as { sha: string }).sha);
  const changed: string[] = [];
  for (const [path, text] of Object.entries(files)) {
    const current = await api(forge, token, 'GET', `${r}/contents/${path}?ref=${headSha}`);
    const now = current ? Buffer.from(String(current.content ?? ''), 'base64').toString('utf8') : undefined;
    if (now !== text) changed.push(path);
  }
  if (changed.length === 0) return [];
  const base = (await api(forge, token, 'GET', `${r}/git/commits/${headSha}`))!;
  const tree = (await api(forge, token, 'POST', `${r}/git/trees`, {
    base_tree: (base.tree as { sha: string }).sha,
    tree: changed.map((path) => ({ path, mode: '100644', type: 'blob', content: files[path] })),
  }))!;
  const commit = (await api(forge, token, 'POST', `${r}/git/commits`, {
    message: `ci: install autocode workflows (${changed.map((p) => p.split('/').pop()).join(', ')})`,
    tree: tree.sha,
    parents: [headSha],
  }))!;
  await api(forge, token, 'PATCH', `${r}/git/refs/heads/${branch}`, { sha: commit.sha });
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
