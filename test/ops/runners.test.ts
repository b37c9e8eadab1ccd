import { describe, expect, it } from '@jest/globals';
import { loadYaml, readText } from './support.js';

interface Container {
  name: string;
  image: string;
  env?: { name: string; value?: string }[];
  securityContext?: Record<string, unknown>;
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
}
interface ArcValues {
  githubConfigUrl: string;
  githubConfigSecret: unknown;
  runnerScaleSetName: string;
  runnerGroup: string;
  minRunners: number;
  maxRunners: number;
  containerMode: {
    type: string;
    kubernetesModeWorkVolumeClaim?: { resources: { requests: { storage: string } } };
  };
  template: { spec: { securityContext: Record<string, unknown>; containers: Container[] } };
}

/** Top-level keys the gha-runner-scale-set chart (0.12–0.15) reads; anything else is a typo helm ignores. */
const CHART_KEYS = new Set([
  'githubConfigUrl',
  'githubConfigSecret',
  'proxy',
  'maxRunners',
  'minRunners',
  'runnerGroup',
  'runnerScaleSetName',
  'fullnameOverride',
  'githubServerTLS',
  'keyVault',
  'containerMode',
  'listenerTemplate',
  'listenerMetrics',
  'template',
  'controllerServiceAccount',
  'namespaceOverride',
  'annotations',
  'labels',
  'resourceMeta',
]);

describe('runners/arc-values.yaml', () => {
  const values = loadYaml<ArcValues>('runners/arc-values.yaml');
  const runner = values.template.spec.containers.find((c) => c.name === 'runner')!;

  it('uses only keys the chart knows', () => {
    expect(Object.keys(values).filter((k) => !CHART_KEYS.has(k))).toEqual([]);
  });

  it('scales ephemeral runners between 2 and 20 in kubernetes container mode', () => {
    expect(values.minRunners).toBe(2);
    expect(values.maxRunners).toBe(20);
    expect(values.containerMode.type).toBe('kubernetes');
    expect(values.containerMode.kubernetesModeWorkVolumeClaim?.resources.requests.storage).toMatch(/Gi$/);
  });

  it('authenticates through a pre-created GitHub App secret, never inline credentials', () => {
    expect(typeof values.githubConfigSecret).toBe('string');
    expect(values.githubConfigUrl).toMatch(/^https:\/\/github\.com\/[^/]+$/);
    expect(values.runnerGroup).toBe('foundation-runners');
    expect(readText('runners/arc-values.yaml')).not.toMatch(/github_token:|BEGIN [A-Z ]*PRIVATE KEY/);
  });

  it('runs the hardened image unprivileged with resource requests and limits', () => {
    expect(runner.image).toMatch(/^ghcr\.io\/infinityxonesystems\/autocode-actions-runner:/);
    expect(values.template.spec.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1001 });
    expect(runner.securityContext).toMatchObject({
      allowPrivilegeEscalation: false,
      privileged: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    for (const kind of ['requests', 'limits'] as const) {
      expect(runner.resources?.[kind]).toEqual(
        expect.objectContaining({ cpu: expect.any(String), memory: expect.any(String) }),
      );
    }
    // Jobs without `container:` run in the runner container itself (the workflows use none).
    expect(runner.env).toEqual(
      expect.arrayContaining([{ name: 'ACTIONS_RUNNER_REQUIRE_JOB_CONTAINER', value: 'false' }]),
    );
  });
});

describe('runners/autoscaler-config.yaml', () => {
  it('is a Karpenter NodePool that removes idle nodes after 10 minutes and caps at 20 t3.xlarge', () => {
    const pool = loadYaml<{
      apiVersion: string;
      kind: string;
      spec: { disruption: { consolidateAfter: string }; limits: { cpu: string } };
    }>('runners/autoscaler-config.yaml');
    expect(pool.apiVersion).toBe('karpenter.sh/v1');
    expect(pool.kind).toBe('NodePool');
    expect(pool.spec.disruption.consolidateAfter).toBe('10m');
    expect(Number(pool.spec.limits.cpu)).toBe(20 * 4);
  });
});

/** Instructions of a Dockerfile with continuation lines joined and comments dropped. */
function instructions(text: string): { op: string; args: string }[] {
  const joined = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [op = '', ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

describe('runners/Dockerfile.runner (lint)', () => {
  const steps = instructions(readText('runners/Dockerfile.runner'));

  it('pins every base image by digest', () => {
    const froms = steps.filter((s) => s.op === 'FROM');
    expect(froms.length).toBeGreaterThan(0);
    for (const f of froms) expect(f.args).toMatch(/^\S+:[\w.-]+@sha256:[0-9a-f]{64}(\s+AS\s+\w+)?$/i);
  });

  it('ends as a non-root user', () => {
    const users = steps.filter((s) => s.op === 'USER');
    const last = users.at(-1)?.args ?? 'root';
    expect(last).not.toMatch(/^(root|0)(:|$)/);
    // The USER must come after the last RUN, so nothing later runs as root.
    expect(steps.map((s) => s.op).lastIndexOf('USER')).toBeGreaterThan(
      steps.map((s) => s.op).lastIndexOf('RUN'),
    );
  });

  it('never calls sudo, removes it from the image, and installs no extra tooling', () => {
    const runs = steps.filter((s) => s.op === 'RUN').map((s) => s.args);
    for (const run of runs) expect(run).not.toMatch(/(^|[;&|]\s*)sudo\s/);
    expect(runs.join(' ')).toMatch(/apt-get purge -y --auto-remove sudo/);
    const installs = runs.join(' ').match(/apt-get install[^&]*/g) ?? [];
    const packages = installs.flatMap((i) =>
      i.split(/\s+/).filter((w) => w && !w.startsWith('-') && !['apt-get', 'install'].includes(w)),
    );
    expect(packages.sort()).toEqual(['ca-certificates', 'git']);
    expect(steps.some((s) => s.op === 'ADD')).toBe(false);
  });
});
