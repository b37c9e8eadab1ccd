/** Pull requests as GitHub reports them (live head SHA, files with patches; files cached in KV by head SHA). */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit/errors';
import type { Ctx } from '../context.js';
import { upstream } from './github.js';

export interface LivePr {
  number: number;
  state: string;
  head_sha: string;
  title: string;
  html_url: string;
  author: string;
}

export async function fetchPr(ctx: Ctx, repo: string, number: number): Promise<LivePr> {
  const res = await ctx.github.request(repo, 'GET', `/repos/${repo}/pulls/${number}`);
  if (!res.ok) throw upstream(res.status, `could not read ${repo}#${number}`);
  const pr = (await res.json()) as {
    number: number;
    state: string;
    title: string;
    html_url: string;
    head: { sha: string };
    user?: { login?: string };
  };
  return {
    number: pr.number,
    state: pr.state,
    head_sha: pr.head.sha,
    title: pr.title,
    html_url: pr.html_url,
    author: pr.user?.login ?? '',
  };
}

export interface PrFile {
  filename: string;
  status: string;
  additions: number;
  deletions: number;
  patch?: string;
}

/** GitHub returns at most 3000 files (100 per page); the diff viewer shows the first 300. */
export async function fetchFiles(ctx: Ctx, repo: string, number: number, headSha: string): Promise<PrFile[]> {
  const key = `prfiles:${repo}#${number}@${headSha}`;
  const cached = await ctx.env.CACHE.get<PrFile[]>(key, 'json');
  if (cached) return cached;
  const files: PrFile[] = [];
  for (let page = 1; page <= 3; page++) {
    const res = await ctx.github.request(
      repo,
      'GET',
      `/repos/${repo}/pulls/${number}/files?per_page=100&page=${page}`,
    );
    if (!res.ok) throw upstream(res.status, `could not list files of ${repo}#${number}`);
    const batch = (await res.json()) as PrFile[];
    files.push(
      ...batch.map(({ filename, status, additions, deletions, patch }) => ({
        filename,
        status,
        additions,
        deletions,
        patch,
      })),
    );
    if (batch.length < 100) break;
  }
  await ctx.env.CACHE.put(key, JSON.stringify(files), { expirationTtl: 24 * 3600 });
  return files;
}

/** Who asked for the change behind this PR (the job's requester), if autocode made it. */
export async function requesterOf(ctx: Ctx, repo: string, number: number): Promise<string | undefined> {
  const row = await ctx.db
    .prepare(
      `SELECT requested_by FROM jobs WHERE (repo = ?1 AND pr_number = ?2)
       OR id = (SELECT job_id FROM prs WHERE repo = ?1 AND number = ?2) LIMIT 1`,
    )
    .bind(repo, number)
    .first<{ requested_by: string }>();
  return row?.requested_by;
}

export async function prRow(
  ctx: Ctx,
  id: number,
): Promise<{ repo: string; number: number } & Record<string, unknown>> {
  const row = await ctx.db
    .prepare('SELECT * FROM prs WHERE id = ?')
    .bind(id)
    .first<{ repo: string; number: number }>();
  if (!row) throw new AutocodeError(ErrorCodes.NOT_FOUND, `no pull request ${id}`);
  return row;
}
