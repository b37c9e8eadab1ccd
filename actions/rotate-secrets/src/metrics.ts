/**
 * Prometheus text for the rotation state, pushed to a Pushgateway at the end of every run so the
 * "Secret Rotation Overdue > 100 days" alert (infra/monitoring/alerts.rules.yaml) has data. Names only, never
 * values: labels carry the secret's name and kind.
 */
import type { RotationState } from './state.js';

export const ROTATION_METRIC_NAMES = [
  'autocode_secret_rotated_timestamp_seconds',
  'autocode_secret_created_timestamp_seconds',
  'autocode_secret_pending_revocation',
  'autocode_rotation_last_run_timestamp_seconds',
] as const;

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const seconds = (iso: string) => Math.floor(Date.parse(iso) / 1000);

export function rotationMetrics(state: RotationState, now: Date): string {
  const [rotated, created, pending, lastRun] = ROTATION_METRIC_NAMES;
  const lines = [
    `# HELP ${rotated} When each secret was last rotated (unix seconds).`,
    `# TYPE ${rotated} gauge`,
  ];
  const entries = Object.entries(state.secrets).sort(([a], [b]) => a.localeCompare(b));
  for (const [name, s] of entries) {
    if (s.rotatedAt)
      lines.push(`${rotated}{secret="${esc(name)}",kind="${esc(s.kind)}"} ${seconds(s.rotatedAt)}`);
  }
  lines.push(
    `# HELP ${created} When a manually rotated credential was created (unix seconds).`,
    `# TYPE ${created} gauge`,
  );
  for (const [name, s] of entries) {
    if (s.createdAt)
      lines.push(`${created}{secret="${esc(name)}",kind="${esc(s.kind)}"} ${seconds(s.createdAt)}`);
  }
  lines.push(
    `# HELP ${pending} 1 while an old value is kept for its grace period.`,
    `# TYPE ${pending} gauge`,
  );
  for (const [name, s] of entries) lines.push(`${pending}{secret="${esc(name)}"} ${s.pending ? 1 : 0}`);
  lines.push(
    `# HELP ${lastRun} When rotate-secrets last finished (unix seconds).`,
    `# TYPE ${lastRun} gauge`,
    `${lastRun} ${Math.floor(now.getTime() / 1000)}`,
  );
  return `${lines.join('\n')}\n`;
}
