/**
 * The publish use case (the workflow's job holding the App token): replay the gated patch strictly on the
 * base commit, write one commit through the Git Data API (created by the App, so GitHub signs it and marks
 * it Verified), point `automation/cp-<component>-<timestamp>` at it, open a **draft** PR with labels and
 * reviewers, and report to the edge. The kill switch is checked first and again before every write; a rerun
 * finds its own branch (by the run id in the commit message) and PR and converges instead of duplicating.
 */
import { AutocodeError, ErrorCodes } from '@autocode/toolkit';
import type { GitHubClient, Logger } from '@autocode/toolkit';
import type { Decision } from '@autocode/policies';
import { replayPatch } from '../edits/patch.js';
import type { EdgePort } from '../generate.js';
import type { CodegenRecord } from '../record.js';
import { prBody, prTitle } from './body.js';

export interface PublishOptions {
  owner: string;
  repo: string;
  labels: string[];
  reviewers: string[];
  teamReviewers: string[];
  artifactUrl?: string;
}

export interface PublishDeps {
  github: GitHubClient;
  edge?: EdgePort;
  log: Logger;
}

export interface PublishResult {
  branch: string;
  commit: { sha: string; verified: boolean; reason: string };
  pr: { number: number; url: string; created: boolean };
}

/** Labels every codegen PR carries; `autocode:llm` is what the merge policy reads as "LLM-authored". */
export const DEFAULT_LABELS = ['autocode', 'autocode:llm'];

const trailer = (record: CodegenRecord) => `Autocode-Run: ${record.id}`;

function commitMessage(record: CodegenRecord): string {
  return [
    prTitle(record),
    '',
    record.command.slice(0, 2000),
    '',
    `Requested-by: @${record.requester}`,
    `Template: ${record.template.name}`,
    `Prompt-Hash: ${record.llm.prompt_hash ?? 'none'}`,
    trailer(record),
  ].join('\n');
}

type TreeEntry = { mode: string; sha: string; type: string };

/**
 * Mode and blob sha of each path in the base tree, walking only the directories the patch touches (depth + 1
 * round trips, siblings in parallel) rather than a recursive listing that grows with the repository.
 */
async function baseEntries(gh: GitHubClient, owner: string, repo: string, treeSha: string, paths: string[]) {
  const dirs = new Map<string, Promise<Map<string, TreeEntry> | undefined>>();
  const listing = (dir: string): Promise<Map<string, TreeEntry> | undefined> => {
    let pending = dirs.get(dir);
    if (!pending) {
      pending = (async () => {
        let sha = treeSha;
        if (dir) {
          const parentDir = dir.includes('/') ? dir.slice(0, dir.lastIndexOf('/')) : '';
          const entry = (await listing(parentDir))?.get(dir.slice(dir.lastIndexOf('/') + 1));
          if (!entry || entry.type !== 'tree') return undefined;
          sha = entry.sha;
        }
        const { data } = await gh.rest.git.getTree({ owner, repo, tree_sha: sha });
        return new Map(data.tree.map((e) => [e.path!, { mode: e.mode!, sha: e.sha!, type: e.type! }]));
      })();
      dirs.set(dir, pending);
    }
    return pending;
  };
  const out = new Map<string, TreeEntry>();
  await Promise.all(
    paths.map(async (p) => {
      const dir = p.includes('/') ? p.slice(0, p.lastIndexOf('/')) : '';
      const entry = (await listing(dir))?.get(p.slice(p.lastIndexOf('/') + 1));
      if (entry) out.set(p, entry);
    }),
  );
  return out;
}

export async function publish(
  record: CodegenRecord,
  patch: string,
  decision: Pick<Decision, 'allow' | 'deny' | 'warn'>,
  options: PublishOptions,
  deps: PublishDeps,
): Promise<PublishResult> {
  const { github: gh, edge } = deps;
  const { owner, repo } = options;
  const guard = async () => edge?.assertNotKilled();
  await guard();
  if (record.status !== 'ready' || !patch) {
    throw new AutocodeError(
      ErrorCodes.INVALID_INPUT,
      `nothing to publish: the generate step ended with status ${record.status}`,
    );
  }
  if (!decision.allow) {
    throw new AutocodeError(
      ErrorCodes.POLICY_DENIED,
      `the policy gate denied the change: ${decision.deny.map((d) => d.rule).join(', ')}`,
    );
  }

  const branch = record.branch;
  // matching-refs answers [] rather than 404 (no error noise in the log for the expected first-run miss).
  const { data: refs } = await gh.rest.git.listMatchingRefs({ owner, repo, ref: `heads/${branch}` });
  const existing = refs.find((r) => r.ref === `refs/heads/${branch}`);
  let commit: PublishResult['commit'];
  if (existing) {
    const { data } = await gh.rest.git.getCommit({ owner, repo, commit_sha: existing.object.sha });
    if (!data.message.includes(trailer(record))) {
      throw new AutocodeError(
        ErrorCodes.CONFLICT,
        `branch ${branch} exists and was not written by this run`,
        {
          hint: 'delete the branch or rerun codegen (a new run uses a new timestamp)',
        },
      );
    }
    deps.log.info(`branch ${branch} already holds this run's commit ${data.sha}; reusing it`);
    commit = {
      sha: data.sha,
      verified: data.verification?.verified ?? false,
      reason: data.verification?.reason ?? 'unknown',
    };
  } else {
    const base = await gh.rest.git.getCommit({ owner, repo, commit_sha: record.base.sha });
    const blobs = new Map<string, Promise<string | undefined>>();
    const changed = [...patch.matchAll(/^diff --git a\/(\S+) b\//gm)].map((m) => m[1]!);
    const entries = await baseEntries(gh, owner, repo, base.data.tree.sha, changed);
    const readBase = (path: string) => {
      if (!blobs.has(path)) {
        const e = entries.get(path);
        blobs.set(
          path,
          e && e.type === 'blob'
            ? gh.rest.git
                .getBlob({ owner, repo, file_sha: e.sha })
                .then(({ data }) => Buffer.from(data.content, 'base64').toString('utf8'))
            : Promise.resolve(undefined),
        );
      }
      return blobs.get(path)!;
    };
    await Promise.all(changed.map(readBase)); // fetch the base blobs in parallel; replay reads them in order
    const next = await replayPatch(patch, readBase);
    const tree = [...next].map(([path, content]) => ({
      path,
      mode: (entries.get(path)?.mode ?? '100644') as '100644' | '100755',
      type: 'blob' as const,
      ...(content === null ? { sha: null } : { content }),
    }));
    await guard();
    const newTree = await gh.rest.git.createTree({ owner, repo, base_tree: base.data.tree.sha, tree });
    await guard();
    // No author/committer: the App is both, and GitHub signs the commit (Verified).
    const created = await gh.rest.git.createCommit({
      owner,
      repo,
      message: commitMessage(record),
      tree: newTree.data.sha,
      parents: [record.base.sha],
    });
    commit = {
      sha: created.data.sha,
      verified: created.data.verification?.verified ?? false,
      reason: created.data.verification?.reason ?? 'unknown',
    };
    await guard();
    await gh.rest.git.createRef({ owner, repo, ref: `refs/heads/${branch}`, sha: created.data.sha });
  }
  if (!commit.verified)
    deps.log.warning(
      `commit ${commit.sha} is not verified (${commit.reason}); the merge policy will require it`,
    );

  const body = prBody(record, decision, options.artifactUrl);
  // Only a rerun (the branch already existed) can find its own PR open.
  const open = existing
    ? (await gh.rest.pulls.list({ owner, repo, head: `${owner}:${branch}`, state: 'open', per_page: 1 })).data
    : [];
  let pr: PublishResult['pr'];
  await guard();
  if (open[0]) {
    const updated = await gh.rest.pulls.update({
      owner,
      repo,
      pull_number: open[0].number,
      body,
      title: prTitle(record),
    });
    pr = { number: updated.data.number, url: updated.data.html_url, created: false };
  } else {
    const created = await gh.rest.pulls.create({
      owner,
      repo,
      head: branch,
      base: record.base.ref,
      title: prTitle(record),
      body,
      draft: true,
      maintainer_can_modify: false,
    });
    pr = { number: created.data.number, url: created.data.html_url, created: true };
  }
  const labels = [...new Set([...DEFAULT_LABELS, ...options.labels])];
  const { reviewers, teamReviewers } = options;
  await guard();
  // Labels and review requests touch different resources: one kill-switch check, then both at once.
  await Promise.all([
    gh.rest.issues.addLabels({ owner, repo, issue_number: pr.number, labels }),
    reviewers.length || teamReviewers.length
      ? gh.rest.pulls.requestReviewers({
          owner,
          repo,
          pull_number: pr.number,
          reviewers,
          team_reviewers: teamReviewers,
        })
      : undefined,
  ]);
  if (record.job_id) {
    const t = record.llm.totals;
    await edge?.postJobEvent(record.job_id, {
      type: 'pr_opened',
      repository: `${owner}/${repo}`,
      pr_number: pr.number,
      pr_url: pr.url,
      ...(record.run_url ? { run_url: record.run_url } : {}),
      usage: { input_tokens: t.inputTokens, output_tokens: t.outputTokens, cost_usd: t.costUsd },
      details: { branch, commit: commit.sha, verified: commit.verified },
    });
  }
  return { branch, commit, pr };
}
