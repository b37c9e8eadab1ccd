/**
 * GitHub adapters for rotation: Actions secrets (repo / org / environment scope, libsodium sealed boxes against
 * the scope's public key), webhook secrets (repository, organization or the App's own hook config), issues,
 * and the state file on its branch (contents API, create-else-update).
 */
import sodium from 'libsodium-wrappers';
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { GitHubClient } from '@autocode/toolkit';
import type { StoreSpec } from './plan.js';
import { describeStore } from './plan.js';
import type { IssueTracker, SecretStore } from './ports.js';

type ActionsSpec = Extract<StoreSpec, { type: 'github-actions' }>;
type HookSpec = Extract<StoreSpec, { type: 'github-webhook' }>;

const split = (repo: string) => {
  const [owner = '', name = ''] = repo.split('/');
  return { owner, repo: name };
};

/** libsodium sealed box, base64 (what GitHub's secrets API expects). */
export async function sealForGitHub(publicKeyB64: string, value: string): Promise<string> {
  await sodium.ready;
  const key = sodium.from_base64(publicKeyB64, sodium.base64_variants.ORIGINAL);
  return sodium.to_base64(
    sodium.crypto_box_seal(sodium.from_string(value), key),
    sodium.base64_variants.ORIGINAL,
  );
}

function actionsPaths(s: ActionsSpec, name: string) {
  if (s.scope === 'org') return { base: `/orgs/${s.org}/actions/secrets`, name };
  const { owner, repo } = split(s.repo ?? '');
  if (s.scope === 'environment') {
    return {
      base: `/repos/${owner}/${repo}/environments/${encodeURIComponent(s.environment ?? '')}/secrets`,
      name,
    };
  }
  return { base: `/repos/${owner}/${repo}/actions/secrets`, name };
}

export function actionsSecretStore(octokit: GitHubClient, s: ActionsSpec, secret: string): SecretStore {
  const name = s.name ?? secret;
  const { base } = actionsPaths(s, name);
  return {
    describe: describeStore(s, secret),
    hasPreviousSlot: false,
    async write(value) {
      const { data: key } = await octokit.request(`GET ${base}/public-key`);
      const encrypted_value = await sealForGitHub(key.key as string, value);
      await octokit.request(`PUT ${base}/{name}`, {
        name,
        encrypted_value,
        key_id: key.key_id as string,
        ...(s.scope === 'org' ? { visibility: s.visibility ?? 'private' } : {}),
      });
    },
    async verify(writtenAt) {
      const { data } = await octokit.request(`GET ${base}/{name}`, { name });
      // GitHub stores timestamps at second precision; allow a little clock skew.
      if (Date.parse(data.updated_at as string) < writtenAt.getTime() - 120_000) {
        throw new AutocodeError(ErrorCodes.UPSTREAM_FAILED, `${describeStore(s, secret)} was not updated`);
      }
    },
    async revokePrevious() {},
  };
}

async function hookPath(octokit: GitHubClient, s: HookSpec): Promise<string> {
  if (s.app) return '/app/hook';
  const base = s.repo ? `/repos/${s.repo}/hooks` : `/orgs/${s.org}/hooks`;
  if (s.hook_id) return `${base}/${s.hook_id}`;
  const { data } = await octokit.request(`GET ${base}`);
  const hook = (data as { id: number; config: { url?: string } }[]).find((h) => h.config.url === s.hook_url);
  if (!hook) {
    throw new AutocodeError(ErrorCodes.NOT_FOUND, `no webhook with url ${s.hook_url} on ${s.repo ?? s.org}`, {
      hint: 'set hook_id, or hook_url to the exact delivery URL configured on the hook',
    });
  }
  return `${base}/${hook.id}`;
}

/** The hook's signing secret. GitHub keeps one secret per hook; the overlap lives on the receiving side. */
export function webhookStore(octokit: GitHubClient, s: HookSpec, secret: string): SecretStore {
  return {
    describe: describeStore(s, secret),
    hasPreviousSlot: false,
    async write(value) {
      await octokit.request(`PATCH ${await hookPath(octokit, s)}/config`, { secret: value });
    },
    async verify() {
      const { data } = await octokit.request(`GET ${await hookPath(octokit, s)}/config`);
      if (!(data as { secret?: string }).secret) {
        throw new AutocodeError(ErrorCodes.UPSTREAM_FAILED, `${describeStore(s, secret)} reports no secret`);
      }
    },
    async revokePrevious() {},
  };
}

const marker = (key: string) => `<!-- autocode-rotation:${key} -->`;

export function githubIssues(octokit: GitHubClient, repoFull: string, labels: string[]): IssueTracker {
  const { owner, repo } = split(repoFull);
  const find = async (key: string) => {
    const issues = await octokit.paginate(octokit.rest.issues.listForRepo, {
      owner,
      repo,
      state: 'open',
      per_page: 100,
    });
    return issues.find((i) => !i.pull_request && (i.body ?? '').includes(marker(key)));
  };
  return {
    async ensureOpen(key, title, body) {
      if (await find(key)) return 'exists';
      await octokit.rest.issues.create({ owner, repo, title, body: `${body}\n\n${marker(key)}`, labels });
      return 'created';
    },
    async close(key, comment) {
      const issue = await find(key);
      if (!issue) return false;
      await octokit.rest.issues.createComment({ owner, repo, issue_number: issue.number, body: comment });
      await octokit.rest.issues.update({
        owner,
        repo,
        issue_number: issue.number,
        state: 'closed',
        state_reason: 'completed',
      });
      return true;
    },
  };
}

/** The state file on its own branch (created from the default branch on first use). */
export function githubStateFile(octokit: GitHubClient, repoFull: string, branch: string, path: string) {
  const { owner, repo } = split(repoFull);
  let sha: string | undefined;
  return {
    async load(): Promise<string | undefined> {
      try {
        const { data } = await octokit.rest.repos.getContent({ owner, repo, path, ref: branch });
        if (Array.isArray(data) || data.type !== 'file') throw new Error(`${path} is not a file`);
        sha = data.sha;
        return Buffer.from(data.content, 'base64').toString('utf8');
      } catch (err) {
        if ((err as { status?: number }).status === 404) return undefined;
        throw err;
      }
    },
    async save(text: string, message: string): Promise<void> {
      try {
        await octokit.rest.git.getRef({ owner, repo, ref: `heads/${branch}` });
      } catch (err) {
        if ((err as { status?: number }).status !== 404) throw err;
        const { data: r } = await octokit.rest.repos.get({ owner, repo });
        const { data: head } = await octokit.rest.git.getRef({
          owner,
          repo,
          ref: `heads/${r.default_branch}`,
        });
        await octokit.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: head.object.sha });
      }
      const { data } = await octokit.rest.repos.createOrUpdateFileContents({
        owner,
        repo,
        path,
        branch,
        message,
        content: Buffer.from(text).toString('base64'),
        ...(sha ? { sha } : {}),
      });
      sha = data.content?.sha;
    },
  };
}
