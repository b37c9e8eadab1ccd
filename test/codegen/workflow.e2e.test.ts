/**
 * codegen.yml itself, run by the sandbox's local Actions runner: the entry workflow is installed on a forge
 * repository, an `autocode.codegen` repository_dispatch (the edge's client_payload shape) starts it, and the
 * runner interprets the jobs (generate → gate → publish, report-failure skipped) with this checkout's bundle,
 * the LLM server behind `vars.AUTOCODE_LLM_PROVIDERS` and the key offered as a secret.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startForge, startLlmServer } from '@autocode/sandbox';
import type { Forge, LlmServer } from '@autocode/sandbox';
import { installAutocodeWorkflows, startLocalRunner } from '../../sandbox/src/runner/index.js';
import type { LocalRunner } from '../../sandbox/src/runner/index.js';
import { appClient, serviceFiles, startEdge } from './harness.js';
import type { Edge } from './harness.js';
import { APPROVE, GOOD_ENDPOINT } from './replies.js';

const HOME = fileURLToPath(new URL('../..', import.meta.url));
let forge: Forge;
let llm: LlmServer;
let edge: Edge;
let runner: LocalRunner;

beforeAll(async () => {
  [forge, llm, edge] = await Promise.all([startForge({ org: 'acme' }), startLlmServer(), startEdge()]);
  forge.createUser('bob', { orgs: ['acme'] });
  await forge.createRepo('acme', 'svc-wf', {
    files: {
      ...serviceFiles('not-a-secret'),
      '.github/autocode-codegen.yaml':
        'checks:\n  - { name: unit tests, run: node --test test/ }\nreviewers: [bob]\n',
    },
  });
  const installed = await installAutocodeWorkflows(forge, {
    homeDir: HOME,
    repos: ['acme/svc-wf'],
    token: forge.tokenForInstallation(),
  });
  expect(installed['acme/svc-wf']).toEqual(
    expect.arrayContaining(['.github/workflows/codegen-entry.yml', '.github/workflows/codegen.yml']),
  );
  runner = startLocalRunner({
    forge,
    homeDir: HOME,
    app: {
      appId: forge.app.appId,
      privateKey: forge.app.privateKey,
      installationId: forge.app.installationId,
    },
    edgeUrl: edge.server.url,
    llm: {
      providers: [
        {
          name: 'primary',
          kind: 'openai',
          model: 'gpt-5.4',
          base_url: llm.openaiBaseUrl,
          api_key_env: 'OPENAI_API_KEY',
        },
      ],
      secrets: { OPENAI_API_KEY: llm.apiKeys.openai },
    },
    workDir: mkdtempSync(join(tmpdir(), 'codegen-wf-')),
  });
});
afterAll(async () => {
  runner?.stop();
  await Promise.all([forge?.stop(), llm?.stop(), edge?.server.close()]);
});

describe('codegen.yml on the local runner', () => {
  it('a repository_dispatch autocode.codegen ends in a Verified draft PR', async () => {
    llm.setRules([
      { match: { templateName: 'generate_api_endpoint' }, reply: GOOD_ENDPOINT },
      { match: { templateName: 'review_change' }, reply: APPROVE },
    ]);
    const res = await fetch(`${forge.apiUrl}/repos/acme/svc-wf/dispatches`, {
      method: 'POST',
      headers: { authorization: `token ${forge.tokenForInstallation()}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        event_type: 'autocode.codegen',
        client_payload: {
          job_id: 'job-wf',
          command: 'codegen',
          repo: 'acme/svc-wf',
          prompt: 'Generate API endpoint for user management',
          ref: null,
          args: {},
          requested_by: 'alice',
          callback_url: null,
        },
      }),
    });
    expect(res.status).toBe(204);
    await new Promise((r) => setTimeout(r, 50));
    await runner.idle();
    const outcome = runner.outcomes.at(-1)!;
    expect(outcome.errors).toEqual([]);
    expect(outcome.conclusion).toBe('success');
    const { data: pulls } = await appClient(forge).rest.pulls.list({
      owner: 'acme',
      repo: 'svc-wf',
      state: 'open',
    });
    expect(pulls).toHaveLength(1);
    expect(pulls[0]!.draft).toBe(true);
    expect(pulls[0]!.body).toContain('Requested-by: @alice');
    expect(edge.events.map((e) => [e.jobId, e.event.type])).toEqual([
      ['job-wf', 'running'],
      ['job-wf', 'pr_opened'],
    ]);
  });
});
