/**
 * Every workflow in .github/workflows passes actionlint and GitHub's own parser (@actions/workflow-parser,
 * what the Actions service and the VS Code extension use); reusable workflows use only this repository's own
 * actions; every job runs with declared, least-privilege permissions. The rotation plan the rotate-secrets
 * workflow reads parses against its schema.
 */
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { NoOperationTraceWriter, convertWorkflowTemplate, parseWorkflow } from '@actions/workflow-parser';
import { parseRotationPlan } from '../../actions/rotate-secrets/src/plan.js';
import { filesIn, loadYaml, readText, root } from './support.js';

type Permissions = string | Record<string, string> | undefined;
interface RawJob {
  permissions?: Permissions;
  uses?: string;
  steps?: { uses?: string }[];
}
interface RawWorkflow {
  on: unknown;
  permissions?: Permissions;
  jobs: Record<string, RawJob>;
}

const workflows = filesIn('.github/workflows', '.yml');
/** This repository's own actions and reusable workflows, by relative or full path. */
const OWN_ACTION = /^(\.\/actions\/[\w-]+|[\w-]+\/autocode\/actions\/[\w-]+@[\w./-]+)$/;
const OWN_WORKFLOW =
  /^(\.\/\.github\/workflows\/[\w-]+\.ya?ml|[\w-]+\/autocode\/\.github\/workflows\/[\w-]+\.ya?ml@[\w./-]+)$/;
/** Scopes a job of this project may hold write access to; anything else needs a reason and a change here. */
const WRITABLE = new Set([
  'contents',
  'pull-requests',
  'issues',
  'actions',
  'checks',
  'statuses',
  'id-token',
]);

function actionlint(): string {
  const local = join(root, '.tools/bin/actionlint');
  return existsSync(local) ? local : 'actionlint';
}

const triggers = (on: unknown): string[] =>
  typeof on === 'string' ? [on] : Array.isArray(on) ? (on as string[]) : Object.keys((on ?? {}) as object);

function permissionProblems(perms: Permissions, where: string): string[] {
  if (perms === undefined) return [`${where}: no permissions declared`];
  if (typeof perms === 'string')
    return perms === 'read-all' || perms === 'write-all' ? [`${where}: ${perms}`] : [];
  return Object.entries(perms)
    .filter(([scope, level]) => level === 'write' && !WRITABLE.has(scope))
    .map(([scope]) => `${where}: ${scope}: write is not on the allowlist`);
}

describe('.github/workflows', () => {
  it('has workflows to check, including the operations ones', () => {
    expect(workflows).toEqual(
      expect.arrayContaining(['.github/workflows/killswitch.yml', '.github/workflows/rotate-secrets.yml']),
    );
  });

  it('actionlint reports nothing', () => {
    const r = spawnSync(actionlint(), ['-format', '{{json .}}', ...workflows], {
      cwd: root,
      encoding: 'utf8',
    });
    expect(r.error).toBeUndefined();
    const findings = JSON.parse(r.stdout || '[]') as { filepath: string; line: number; message: string }[];
    expect(findings.map((f) => `${f.filepath}:${f.line}: ${f.message}`)).toEqual([]);
    expect(r.status).toBe(0);
  });

  for (const file of workflows) {
    describe(file, () => {
      const raw = loadYaml<RawWorkflow>(file);

      it('parses and converts with @actions/workflow-parser without errors', async () => {
        const parsed = parseWorkflow({ name: file, content: readText(file) }, new NoOperationTraceWriter());
        expect(parsed.context.errors.getErrors().map((e) => e.message)).toEqual([]);
        const template = await convertWorkflowTemplate(parsed.context, parsed.value!);
        expect((template.errors ?? []).map((e) => e.Message)).toEqual([]);
        expect(template.jobs.length).toBeGreaterThan(0);
      });

      it('gives every job declared, least-privilege permissions', () => {
        const problems: string[] = [];
        for (const [id, job] of Object.entries(raw.jobs)) {
          // A job inherits the workflow's permissions unless it sets its own.
          problems.push(...permissionProblems(job.permissions ?? raw.permissions, `${file} job ${id}`));
        }
        expect(problems).toEqual([]);
      });

      if (triggers(raw.on).includes('workflow_call')) {
        it('as a reusable workflow, uses only this repository’s own actions and workflows', () => {
          const foreign: string[] = [];
          for (const [id, job] of Object.entries(raw.jobs)) {
            if (job.uses && !OWN_WORKFLOW.test(job.uses)) foreign.push(`${id}: ${job.uses}`);
            for (const step of job.steps ?? [])
              if (step.uses && !OWN_ACTION.test(step.uses)) foreign.push(`${id}: ${step.uses}`);
          }
          expect(foreign).toEqual([]);
        });
      }
    });
  }
});

describe('.github/autocode-rotation.yaml', () => {
  it('is a valid rotation plan', () => {
    const plan = parseRotationPlan(
      readText('.github/autocode-rotation.yaml'),
      '.github/autocode-rotation.yaml',
    );
    expect(plan.secrets.map((s) => s.name)).toEqual([
      'WEBHOOK_SECRET',
      'METRICS_TOKEN',
      'GITHUB_APP_PRIVATE_KEY',
    ]);
  });
});
