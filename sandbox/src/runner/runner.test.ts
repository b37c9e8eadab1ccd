/**
 * The local runner on the real forge: a dispatch creates runs for the workflows installed on the default
 * branch; the runner interprets them (reusable workflow call, typed inputs, mapped secrets, `if:` with status
 * functions, outputs) and runs small JavaScript actions from a stand-in "home" checkout as node processes with
 * INPUT_* and GITHUB_* and an Actions OIDC token. Failures, missing workflows and a missing LLM reach the edge
 * (a loopback stand-in here) as the job's `failed` event.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { decodeJwt } from 'jose';
import { startForge } from '../forge/index.js';
import type { Forge } from '../forge/index.js';
import { installAutocodeWorkflows, startLocalRunner, NO_LLM_MESSAGE } from './index.js';
import type { LocalRunner } from './index.js';

const home = mkdtempSync(join(tmpdir(), 'runner-home-'));
const work = mkdtempSync(join(tmpdir(), 'runner-work-'));
const events: { auth: string; body: Record<string, unknown> }[] = [];
let edgeUrl: string;
let closeEdge: () => void;
let forge: Forge;
let runner: LocalRunner;

function put(path: string, text: string): void {
  mkdirSync(dirname(join(home, path)), { recursive: true });
  writeFileSync(join(home, path), text);
}

const ENTRY = `name: demo
on:
  repository_dispatch:
    types: [autocode.demo, autocode.broken]
permissions:
  contents: read
  id-token: write
jobs:
  call:
    uses: ./.github/workflows/reusable.yml
    with:
      message: \${{ github.event.client_payload.message }}
      loud: \${{ github.event.client_payload.loud == true }}
      fail: \${{ github.event.action == 'autocode.broken' }}
    secrets:
      key: \${{ secrets.AUTOCODE_APP_PRIVATE_KEY }}
  after:
    needs: call
    runs-on: ubuntu-latest
    steps:
      - uses: Acme/autocode/actions/echo@v1
        with:
          message: got \${{ needs.call.outputs.said }}
`;

const REUSABLE = `name: reusable
on:
  workflow_call:
    inputs:
      message: { type: string, required: true }
      loud: { type: boolean, default: false }
      fail: { type: boolean, default: false }
    secrets:
      key: { required: true }
    outputs:
      said: { value: '\${{ jobs.work.outputs.said }}' }
jobs:
  work:
    runs-on: ubuntu-latest
    outputs:
      said: \${{ steps.echo.outputs.said }}
    steps:
      - id: echo
        uses: Acme/autocode/actions/echo@v1
        with:
          message: \${{ inputs.loud && format('{0}!', inputs.message) || inputs.message }}
          key-length: \${{ secrets.key != '' }}
      - if: inputs.fail
        uses: Acme/autocode/actions/fail@v1
      - if: failure()
        uses: Acme/autocode/actions/echo@v1
        with:
          message: cleanup
`;

/** Writes what it saw to GITHUB_OUTPUT and a summary; fetches an OIDC token when the runner offers one. */
const ECHO = `const fs = require('node:fs');
(async () => {
  const msg = process.env['INPUT_MESSAGE'];
  let aud = '';
  if (process.env.ACTIONS_ID_TOKEN_REQUEST_URL) {
    const res = await fetch(process.env.ACTIONS_ID_TOKEN_REQUEST_URL + '&audience=autocode-edge', {
      headers: { authorization: 'Bearer ' + process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN },
    });
    const jwt = (await res.json()).value;
    aud = JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()).repository;
  }
  fs.appendFileSync(process.env.GITHUB_OUTPUT, 'said<<EOF\\n' + msg + '\\nEOF\\n');
  fs.appendFileSync(process.env.GITHUB_STEP_SUMMARY, '- ' + msg + ' (oidc: ' + aud + ', key: ' + process.env['INPUT_KEY-LENGTH'] + ', repo: ' + process.env.GITHUB_REPOSITORY + ', level: ' + process.env.INPUT_LEVEL + ')\\n');
})();
`;

beforeAll(async () => {
  put('.github/workflows/entry.yml', ENTRY);
  put('.github/workflows/reusable.yml', REUSABLE);
  put('.github/workflows/ci.yml', 'on: push\njobs:\n  t:\n    runs-on: x\n    steps: [{ run: echo }]\n');
  const action = (inputs: string) =>
    `name: x\ninputs:\n${inputs}\nruns:\n  using: node24\n  main: dist/index.js\n`;
  put('actions/echo/action.yml', action("  message: {}\n  level: { default: '${{ github.event_name }}' }"));
  put('actions/echo/dist/index.js', ECHO);
  put('actions/fail/action.yml', action('  x: {}'));
  put('actions/fail/dist/index.js', "console.log('::error::boom%0Ahere'); process.exit(1);\n");

  const edge = createServer((req, res) => {
    let raw = '';
    req.on('data', (c: Buffer) => (raw += c.toString()));
    req.on('end', () => {
      events.push({
        auth: req.headers.authorization ?? '',
        body: JSON.parse(raw) as Record<string, unknown>,
      });
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  await new Promise<void>((r) => edge.listen(0, '127.0.0.1', r));
  edgeUrl = `http://127.0.0.1:${(edge.address() as AddressInfo).port}`;
  closeEdge = () => edge.close();

  forge = await startForge({ org: 'acme' });
  await forge.createRepo('acme', 'demo', { files: { 'README.md': '# demo\n' } });
  const token = forge.tokenForInstallation();
  const installed = await installAutocodeWorkflows(forge, { homeDir: home, repos: ['acme/demo'], token });
  expect(installed['acme/demo']).toEqual(['.github/workflows/entry.yml', '.github/workflows/reusable.yml']);
  runner = startLocalRunner({
    forge,
    homeDir: home,
    homeRepos: ['acme/autocode'],
    app: {
      appId: forge.app.appId,
      privateKey: forge.app.privateKey,
      installationId: forge.app.installationId,
    },
    edgeUrl,
    workDir: work,
  });
});

afterAll(async () => {
  await runner.stop();
  closeEdge();
  await forge.stop();
  rmSync(home, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

async function dispatch(type: string, payload: Record<string, unknown>): Promise<void> {
  const res = await fetch(`${forge.apiUrl}/repos/acme/demo/dispatches`, {
    method: 'POST',
    headers: { authorization: `token ${forge.tokenForInstallation()}`, 'content-type': 'application/json' },
    body: JSON.stringify({ event_type: type, client_payload: payload }),
  });
  expect(res.status).toBe(204);
  await new Promise((r) => setTimeout(r, 50));
  await runner.idle();
}

describe('local runner', () => {
  it('runs the installed workflow: reusable call, typed inputs, secrets, outputs, OIDC', async () => {
    await dispatch('autocode.demo', { message: 'hello', loud: true, job_id: 'j-1' });
    const outcome = runner.outcomes.at(-1)!;
    expect(outcome).toMatchObject({ conclusion: 'success', workflow: '.github/workflows/entry.yml' });
    expect(outcome.summaries.join('')).toBe(
      '- hello! (oidc: acme/demo, key: true, repo: acme/demo, level: repository_dispatch)\n' +
        '- got hello! (oidc: acme/demo, key: undefined, repo: acme/demo, level: repository_dispatch)\n',
    );
    const run = forge.state.runs.find((r) => r.id === outcome.runId)!;
    expect([run.status, run.conclusion]).toEqual(['completed', 'success']);
    expect(events).toEqual([]);
    // Installing again changes nothing: the files are the same.
    const again = await installAutocodeWorkflows(forge, {
      homeDir: home,
      repos: ['acme/demo'],
      token: forge.tokenForInstallation(),
    });
    expect(again['acme/demo']).toEqual([]);
  });

  it('a failing step fails the run, runs failure() steps, and reports the error to the edge', async () => {
    await dispatch('autocode.broken', { message: 'x', job_id: 'j-2', repo: 'acme/demo' });
    const outcome = runner.outcomes.at(-1)!;
    expect(outcome.conclusion).toBe('failure');
    expect(outcome.errors[0]).toBe('work/Acme/autocode/actions/fail@v1: boom\nhere');
    expect(outcome.summaries.join('')).toContain('- cleanup');
    const event = events.at(-1)!;
    expect(event.body).toMatchObject({ type: 'failed', repository: 'acme/demo' });
    expect(String(event.body.message)).toContain('boom');
    const claims = decodeJwt(event.auth.replace(/^Bearer /, ''));
    expect(claims).toMatchObject({ repository: 'acme/demo', aud: 'autocode-edge' });
    expect(readFileSync(join(work, `${outcome.runId}.log`), 'utf8')).toContain('::error::boom');
  });

  it('a dispatch no workflow answers fails its job instead of hanging', async () => {
    await dispatch('autocode.unknown', { job_id: 'j-3' });
    expect(runner.outcomes.at(-1)!.conclusion).toBe('skipped');
    expect(events.at(-1)!.body.message).toBe(
      'no active workflow in acme/demo runs on repository_dispatch autocode.unknown',
    );
  });

  it('codegen without an LLM provider fails at once with that reason', async () => {
    await dispatch('autocode.codegen', { job_id: 'j-4', prompt: 'add a thing' });
    expect(runner.outcomes.at(-1)!.errors).toEqual([NO_LLM_MESSAGE]);
    expect(events.at(-1)!.body).toMatchObject({ type: 'failed', message: NO_LLM_MESSAGE });
  });
});
