/**
 * The benchmark's anchor: how most repository-sync actions write a file set — a branch, then one
 * `PUT /repos/{owner}/{repo}/contents/{path}` per file (each a separate commit), then a PR. Same client, same
 * forge, same parallelism across targets as autocode's run, so the difference is the strategy alone.
 */
import type { GitHubClient } from '@autocode/toolkit';

export async function contentsApiSync(
  octokit: GitHubClient,
  owner: string,
  repos: string[],
  files: Map<string, string>,
  concurrency: number,
): Promise<void> {
  let next = 0;
  const one = async (repo: string) => {
    const { data } = await octokit.rest.repos.get({ owner, repo });
    const { data: ref } = await octokit.rest.git.getRef({ owner, repo, ref: `heads/${data.default_branch}` });
    const branch = 'contents-api-sync';
    await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: ref.object.sha });
    for (const [path, content] of files) {
      await octokit.rest.repos.createOrUpdateFileContents({
        owner,
        repo,
        path,
        branch,
        message: `sync ${path}`,
        content: Buffer.from(content).toString('base64'),
      });
    }
    await octokit.rest.pulls.create({
      owner,
      repo,
      head: branch,
      base: data.default_branch,
      title: 'Sync (contents API)',
    });
  };
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < repos.length) await one(repos[next++]!);
    }),
  );
}
