/**
 * What a GitHub-hosted runner gives a job for a `repository_dispatch` run: the `github` context (with the event
 * payload, as in `$GITHUB_EVENT_PATH`), the runner's environment variables, and the claims of the job's Actions
 * OIDC token. Kept apart from the interpreter so both stay small.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ActionsIdTokenClaims, Forge, RunRec } from '../forge/index.js';
import type { Workflow } from './workflow.js';

export interface RunFacts {
  forge: Forge;
  run: RunRec;
  repo: string;
  defaultBranch: string;
  eventType: string;
  clientPayload: Record<string, unknown>;
  workflow: Workflow;
  token: string;
  installationId: number;
  workspace: string;
  tempDir: string;
  home: string;
}

export function githubContext(f: RunFacts): Record<string, unknown> {
  const [owner, name] = f.repo.split('/') as [string, string];
  const ref = `refs/heads/${f.defaultBranch}`;
  return {
    event_name: 'repository_dispatch',
    event: {
      action: f.eventType,
      branch: f.defaultBranch,
      client_payload: f.clientPayload,
      repository: {
        full_name: f.repo,
        name,
        owner: { login: owner },
        default_branch: f.defaultBranch,
        html_url: `${f.forge.url}/${f.repo}`,
      },
      sender: { login: f.run.actor },
      installation: { id: f.installationId },
    },
    repository: f.repo,
    repository_owner: owner,
    repositoryUrl: `${f.forge.url}/${f.repo}.git`,
    ref,
    ref_name: f.defaultBranch,
    ref_type: 'branch',
    sha: f.run.headSha,
    run_id: String(f.run.id),
    run_number: String(f.run.runNumber),
    run_attempt: '1',
    actor: f.run.actor,
    triggering_actor: f.run.actor,
    workflow: f.workflow.name ?? f.run.path,
    workflow_ref: `${f.repo}/${f.run.path}@${ref}`,
    server_url: f.forge.url,
    api_url: f.forge.apiUrl,
    graphql_url: `${f.forge.apiUrl}/graphql`,
    token: f.token,
    workspace: f.workspace,
    action: '',
  };
}

/** The runner's environment (`$GITHUB_EVENT_PATH` is written here). */
export function runnerEnv(f: RunFacts, github: Record<string, unknown>): Record<string, string> {
  const eventPath = join(f.tempDir, 'event.json');
  writeFileSync(eventPath, JSON.stringify(github.event));
  const s = (k: string) => String(github[k]);
  return {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: f.home,
    LANG: process.env.LANG ?? 'C.UTF-8',
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_API_URL: s('api_url'),
    GITHUB_SERVER_URL: s('server_url'),
    GITHUB_GRAPHQL_URL: s('graphql_url'),
    GITHUB_REPOSITORY: s('repository'),
    GITHUB_REPOSITORY_OWNER: s('repository_owner'),
    GITHUB_RUN_ID: s('run_id'),
    GITHUB_RUN_NUMBER: s('run_number'),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_EVENT_NAME: 'repository_dispatch',
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_SHA: s('sha'),
    GITHUB_REF: s('ref'),
    GITHUB_REF_NAME: s('ref_name'),
    GITHUB_REF_TYPE: 'branch',
    GITHUB_WORKSPACE: f.workspace,
    GITHUB_ACTOR: s('actor'),
    GITHUB_TRIGGERING_ACTOR: s('actor'),
    GITHUB_WORKFLOW: s('workflow'),
    GITHUB_WORKFLOW_REF: s('workflow_ref'),
    RUNNER_TEMP: f.tempDir,
    RUNNER_OS: 'Linux',
    RUNNER_ARCH: 'X64',
    RUNNER_NAME: 'autocode-local-runner',
    RUNNER_ENVIRONMENT: 'self-hosted',
  };
}

/** Claims GitHub puts in a job's OIDC token (the audience comes from the request). */
export function idTokenClaims(github: Record<string, unknown>): ActionsIdTokenClaims {
  const s = (k: string) => String(github[k]);
  return {
    repository: s('repository'),
    repository_owner: s('repository_owner'),
    ref: s('ref'),
    sha: s('sha'),
    run_id: s('run_id'),
    workflow_ref: s('workflow_ref'),
    job_workflow_ref: s('workflow_ref'),
    event_name: 'repository_dispatch',
    actor: s('actor'),
  };
}
