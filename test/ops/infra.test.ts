/**
 * infra/: the App manifests carry the seed's least-privilege permissions, the Cloudflare script matches
 * edge-api/wrangler.toml, the k8s manifests isolate runners, every alert rule is complete, the five dashboards
 * are valid and query only metrics something really exports (the edge's /metrics is scraped from the Worker
 * running in workerd), and the Gatekeeper templates embed exactly the tested Rego.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { ROTATION_METRIC_NAMES } from '../../actions/rotate-secrets/src/metrics.js';
import { startHarness } from '../../edge-api/test/harness.js';
import { filesIn, loadYaml, loadYamlAll, readText, root } from './support.js';

type Obj = Record<string, unknown>;

describe('GitHub App manifests', () => {
  const app = JSON.parse(readText('infra/github-app/app-manifest.json')) as Obj & {
    default_permissions: Obj;
    default_events: string[];
  };
  const ops = JSON.parse(readText('infra/github-app/ops-app-manifest.json')) as Obj & {
    default_permissions: Obj;
    default_events: string[];
  };

  it('automation App: exactly the seed table (plus actions: write for the kill switch) and the seed webhook events', () => {
    expect(app.default_permissions).toEqual({
      contents: 'write',
      pull_requests: 'write',
      issues: 'write',
      metadata: 'read',
      workflows: 'write',
      actions: 'write',
      checks: 'write',
      statuses: 'write',
      members: 'read',
    });
    expect([...app.default_events].sort()).toEqual([
      'check_run',
      'pull_request',
      'pull_request_review',
      'push',
      'workflow_run',
    ]);
    expect(app.public).toBe(false);
    expect((app.hook_attributes as Obj).url).toMatch(/\/webhooks\/github$/);
  });

  it('ops App: holds the secret/hook/ruleset permissions instead, subscribes to nothing', () => {
    expect(ops.default_events).toEqual([]);
    expect(ops.default_permissions).toMatchObject({
      secrets: 'write',
      administration: 'write',
      repository_hooks: 'write',
    });
    expect(ops.default_permissions).not.toHaveProperty('pull_requests');
    expect(ops.default_permissions).not.toHaveProperty('workflows');
  });
});

describe('Cloudflare setup', () => {
  const wrangler = readText('edge-api/wrangler.toml');
  for (const env of ['staging', 'production']) {
    it(`${env}: creates the D1 database and KV binding wrangler.toml names, puts its secrets, never prints values`, () => {
      const out = execFileSync('bash', [join(root, 'infra/cloudflare/setup.sh'), '--env', env, '--dry-run'], {
        encoding: 'utf8',
      });
      expect(wrangler).toContain(`database_name = "autocode-${env}"`);
      expect(out).toContain(`d1 create autocode-${env}`);
      expect(out).toContain(`kv namespace create CACHE --env ${env}`);
      expect(out).toContain(`d1 migrations apply DB --env ${env} --remote`);
      for (const name of [
        'GITHUB_APP_PRIVATE_KEY',
        'WEBHOOK_SECRET',
        'AUDIT_SIGNING_KEY',
        'AUDIT_ENCRYPTION_KEY',
        'METRICS_TOKEN',
      ]) {
        expect(wrangler).toContain(name);
        expect(out).toContain(`wrangler secret put ${name} --env ${env}`);
      }
    });
  }
});

describe('Kubernetes manifests', () => {
  const namespaces = loadYamlAll<{ metadata: { name: string; labels: Record<string, string> } }>(
    'infra/k8s/namespaces.yaml',
  );
  const policies = loadYamlAll<{ kind: string; metadata: { name: string }; spec: Obj }>(
    'infra/k8s/runner-networkpolicy.yaml',
  );

  it('enforces the restricted Pod Security profile where runners run', () => {
    const runners = namespaces.find((n) => n.metadata.name === 'arc-runners')!;
    expect(runners.metadata.labels['pod-security.kubernetes.io/enforce']).toBe('restricted');
    for (const n of namespaces)
      expect(n.metadata.labels['pod-security.kubernetes.io/enforce']).toMatch(/^(restricted|baseline)$/);
  });

  it('denies all traffic by default and lets runners reach only DNS and HTTPS on allowlisted ranges', () => {
    const deny = policies.find((p) => p.metadata.name === 'default-deny')!;
    expect(deny.spec).toEqual({ podSelector: {}, policyTypes: ['Ingress', 'Egress'] });
    const allow = policies.find((p) => p.metadata.name === 'runner-egress-allowlist')!;
    const egress = allow.spec.egress as { to: Obj[]; ports: { port: number }[] }[];
    expect(egress.flatMap((e) => e.ports.map((p) => p.port)).sort()).toEqual([443, 53, 53]);
    const cidrs = egress
      .flatMap((e) => e.to.map((t) => (t.ipBlock as { cidr?: string } | undefined)?.cidr))
      .filter(Boolean) as string[];
    expect(cidrs.length).toBeGreaterThan(5);
    for (const c of cidrs)
      expect(c).not.toMatch(/^(0\.0\.0\.0\/0|10\.|172\.(1[6-9]|2\d|3[01])\.|192\.168\.|169\.254\.)/);
    const fqdn = policies.find((p) => p.kind === 'CiliumNetworkPolicy')!;
    expect(JSON.stringify(fqdn.spec)).toContain('api.github.com');
  });
});

describe('runner image allowlist', () => {
  it('admits the image arc-values.yaml runs', () => {
    const values = loadYaml<{ template: { spec: { containers: { image: string }[] } } }>(
      'runners/arc-values.yaml',
    );
    const constraint = loadYamlAll<{ kind: string; spec: { parameters?: { repos?: string[] } } }>(
      'infra/gatekeeper/constraints/runners.yaml',
    ).find((c) => c.kind === 'AutocodeAllowedImages')!;
    const image = values.template.spec.containers[0]!.image;
    expect(constraint.spec.parameters!.repos!.some((p) => image.startsWith(p))).toBe(true);
  });
});

describe('Gatekeeper templates', () => {
  const lib = readText('infra/gatekeeper/rego/containers.rego');
  for (const file of filesIn('infra/gatekeeper/templates', '.yaml')) {
    it(`${file} embeds the tested Rego verbatim`, () => {
      const t = loadYaml<{ kind: string; spec: { targets: { rego: string; libs: string[] }[] } }>(file);
      expect(t.kind).toBe('ConstraintTemplate');
      const source = /^# Generated from rego\/(\S+)/m.exec(readText(file))![1]!;
      expect(t.spec.targets[0]!.rego).toBe(readText(`infra/gatekeeper/rego/${source}`));
      expect(t.spec.targets[0]!.libs).toEqual([lib]);
    });
  }
});

/** Metric names a PromQL expression refers to (families we own or scrape). */
function metricsIn(expr: string): string[] {
  return [...new Set(expr.match(/\b(autocode|gha|probe|velero)_[a-z0-9_]+\b/g) ?? [])];
}

describe('alerts and dashboards', () => {
  let edgeMetrics: Set<string>;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const h = await startHarness();
    close = () => h.close();
    const res = await h.request('GET', '/metrics', { token: h.bindings.METRICS_TOKEN });
    expect(res.status).toBe(200);
    edgeMetrics = new Set();
    for (const m of res.text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
      edgeMetrics.add(m[1]!);
      if (m[2] === 'histogram') for (const s of ['_bucket', '_sum', '_count']) edgeMetrics.add(`${m[1]}${s}`);
    }
  }, 120_000);
  afterAll(async () => close?.());

  /** autocode_* must be exported by the edge or by rotate-secrets; other families come from ARC, blackbox, Velero. */
  const unknown = (names: string[]) =>
    names.filter(
      (n) =>
        n.startsWith('autocode_') &&
        !edgeMetrics.has(n) &&
        !(ROTATION_METRIC_NAMES as readonly string[]).includes(n),
    );

  const rules = loadYaml<{ groups: { name: string; rules: Obj[] }[] }>(
    'infra/monitoring/alerts.rules.yaml',
  ).groups.flatMap((g) => g.rules);
  const runbooks = readText('docs/RUNBOOKS.md');
  const anchors = new Set(
    [...runbooks.matchAll(/^#+\s+(.+)$/gm)].map((m) =>
      m[1]!
        .toLowerCase()
        .replace(/[^a-z0-9 -]/g, '')
        .replace(/ /g, '-'),
    ),
  );

  it('every alert rule has expr, for, a severity, summary/description and a runbook section that exists', () => {
    expect(rules.length).toBeGreaterThanOrEqual(10);
    for (const r of rules) {
      expect(r).toEqual(
        expect.objectContaining({
          alert: expect.stringMatching(/^Autocode[A-Za-z]+$/),
          expr: expect.any(String),
          for: expect.stringMatching(/^\d+[smhd]$/),
          labels: expect.objectContaining({ severity: expect.stringMatching(/^(critical|warning|info)$/) }),
          annotations: expect.objectContaining({
            summary: expect.any(String),
            description: expect.any(String),
          }),
        }),
      );
      const anchor = String((r.annotations as Obj).runbook_url).split('#')[1]!;
      expect({ alert: r.alert, anchor, exists: anchors.has(anchor) }).toEqual({
        alert: r.alert,
        anchor,
        exists: true,
      });
      expect({ alert: r.alert, unknown: unknown(metricsIn(String(r.expr))) }).toEqual({
        alert: r.alert,
        unknown: [],
      });
    }
  });

  it('covers the seed thresholds that have a metric source', () => {
    const text = readText('infra/monitoring/alerts.rules.yaml');
    for (const needle of ['> 0.5', '> 50', '> 300', '> 0.10', '> 100', 'velero_backup_failure_total'])
      expect(text).toContain(needle);
  });

  it('the five seed dashboards are valid and only query exported metrics', () => {
    const files = filesIn('infra/monitoring/dashboards', '.json');
    const dashboards = files.map(
      (f) => JSON.parse(readText(f)) as { uid: string; title: string; panels: Obj[] },
    );
    expect(dashboards.map((d) => d.title.replace('autocode / ', '')).sort()).toEqual([
      'Cost Tracking',
      'GitHub Operations',
      'LLM Usage',
      'Security',
      'System Overview',
    ]);
    expect(new Set(dashboards.map((d) => d.uid)).size).toBe(5);
    for (const d of dashboards) {
      const ids = d.panels.map((p) => p.id);
      expect(new Set(ids).size).toBe(ids.length);
      const exprs = d.panels.flatMap((p) =>
        ((p.targets as { expr: string }[] | undefined) ?? []).map((t) => t.expr),
      );
      expect(exprs.length).toBeGreaterThan(3);
      const used = exprs.flatMap(metricsIn);
      expect({ dashboard: d.title, unknown: unknown(used) }).toEqual({ dashboard: d.title, unknown: [] });
    }
  });
});
