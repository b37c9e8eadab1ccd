/**
 * `autocode rulesets apply` end to end: the real CLI binary against the sandbox forge's rulesets API. First run
 * creates, a rerun makes zero writes, drift is repaired, and a config mistake is reported at file:line:column.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startForge } from '@autocode/sandbox';
import type { Forge } from '@autocode/sandbox';
import { planRulesets, rulesetBody } from './plan.js';

const bin = fileURLToPath(new URL('../../bin/autocode.js', import.meta.url));
let forge: Forge;
let dir: string;

const CONFIG = `version: 1
rulesets:
  - name: autocode-production
    repos: [acme/production]
    branches: ['~DEFAULT_BRANCH', 'release/*']
    required_approvals: 2
    required_status_checks: [autocode policy, test]
  - name: autocode-default
    repos: [acme/mvp, acme/production]
    branches: ['~DEFAULT_BRANCH']
    required_status_checks: [autocode policy]
`;

function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], {
      env: { ...process.env, GITHUB_TOKEN: forge.tokenForInstallation(), GITHUB_API_URL: forge.apiUrl },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

const writes = () =>
  Object.entries(forge.countsByRoute({ writesOnly: true, kind: 'api' })).filter(
    ([r]) => !r.includes('access_tokens'),
  );

beforeAll(async () => {
  forge = await startForge({ org: 'acme' });
  await forge.createRepo('acme', 'production', { files: { 'README.md': 'p\n' } });
  await forge.createRepo('acme', 'mvp', { files: { 'README.md': 'm\n' } });
  dir = mkdtempSync(join(tmpdir(), 'rulesets-'));
  writeFileSync(join(dir, 'rulesets.yaml'), CONFIG);
});
afterAll(async () => forge?.stop());

describe('autocode rulesets apply (sandbox forge)', () => {
  it('dry run plans three creates and writes nothing', async () => {
    forge.clearRequests();
    const r = await cli(['rulesets', 'apply', '--config', join(dir, 'rulesets.yaml'), '--dry-run', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).map((a: { repo: string; kind: string }) => `${a.repo} ${a.kind}`)).toEqual([
      'acme/production create',
      'acme/mvp create',
      'acme/production create',
    ]);
    expect(writes()).toEqual([]);
  });

  it('applies the seed protection: human review, required checks incl. the policy check, signed commits', async () => {
    const r = await cli(['rulesets', 'apply', '--config', join(dir, 'rulesets.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('| acme/production | autocode-production | created |');
    const prod = forge.state.rulesets.find(
      (x) => x.repo === 'acme/production' && x.name === 'autocode-production',
    )!;
    expect(prod.enforcement).toBe('active');
    expect(prod.conditions).toEqual({
      ref_name: { include: ['~DEFAULT_BRANCH', 'refs/heads/release/*'], exclude: [] },
    });
    const rules = Object.fromEntries(
      prod.rules.map((x: { type: string; parameters?: unknown }) => [x.type, x.parameters ?? true]),
    );
    expect(rules.pull_request).toMatchObject({
      required_approving_review_count: 2,
      require_last_push_approval: true,
    });
    expect(rules.required_status_checks).toMatchObject({
      required_status_checks: [{ context: 'autocode policy' }, { context: 'test' }],
    });
    expect(rules.required_signatures).toBe(true);
    expect(rules.non_fast_forward).toBe(true);
    expect(forge.state.rulesets).toHaveLength(3);
  });

  it('a rerun makes zero writes', async () => {
    forge.clearRequests();
    const r = await cli(['rulesets', 'apply', '--config', join(dir, 'rulesets.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout.match(/\| unchanged \|/g)).toHaveLength(3);
    expect(writes()).toEqual([]);
  });

  it('repairs drift (someone lowered the approvals) with one update', async () => {
    const rs = forge.state.rulesets.find(
      (x) => x.repo === 'acme/production' && x.name === 'autocode-production',
    )!;
    const token = forge.tokenForInstallation();
    await fetch(`${forge.apiUrl}/repos/acme/production/rulesets/${rs.id}`, {
      method: 'PUT',
      headers: { authorization: `token ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        rules: rs.rules.filter((x: { type: string }) => x.type !== 'required_signatures'),
      }),
    });
    forge.clearRequests();
    const r = await cli(['rulesets', 'apply', '--config', join(dir, 'rulesets.yaml')]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('add required_signatures');
    expect(writes()).toEqual([['PUT /repos/{owner}/{repo}/rulesets/{ruleset_id}', 1]]);
  });

  it('reports a config mistake at file:line:column with exit code 2', async () => {
    writeFileSync(join(dir, 'bad.yaml'), CONFIG.replace('required_approvals: 2', 'required_aprovals: 2'));
    const r = await cli(['rulesets', 'apply', '--config', join(dir, 'bad.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/bad\.yaml:6:5: rulesets\[0\]\.required_aprovals: unknown key/);
  });
});

describe('planRulesets', () => {
  it('ignores defaults GitHub adds to a ruleset it returns', () => {
    const spec = { name: 'x', repos: ['a/b'], branches: ['main'] };
    const body = rulesetBody(spec);
    const returned = {
      id: 1,
      ...body,
      rules: body.rules.map((r) =>
        r.type === 'pull_request'
          ? { ...r, parameters: { ...r.parameters, allowed_merge_methods: ['merge'] } }
          : r,
      ),
    };
    expect(planRulesets([spec], new Map([['a/b', [returned]]]))[0]?.kind).toBe('unchanged');
  });
});
