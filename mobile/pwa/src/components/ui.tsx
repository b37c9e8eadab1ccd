/** Small shared pieces: screen heading, status badge, error and loading lines. */
import type { ReactNode } from 'react';

/** Every screen starts with this heading; the shell focuses it on navigation. */
export function Heading({ children }: { children: ReactNode }) {
  return (
    <h1 tabIndex={-1} className="screen-title">
      {children}
    </h1>
  );
}

const TONES: Record<string, string> = {
  queued: 'neutral',
  dispatched: 'info',
  running: 'info',
  pr_opened: 'good',
  open: 'info',
  merged: 'good',
  approved: 'good',
  success: 'good',
  applied: 'good',
  pending: 'warn',
  failed: 'bad',
  failure: 'bad',
  cancelled: 'neutral',
  closed: 'neutral',
  changes_requested: 'warn',
  active: 'bad',
};

/** A status as text (never color alone) with a tone for sighted users. */
export function Badge({ value, label }: { value: string; label?: string }) {
  const key = value.toLowerCase();
  return <span className={`badge tone-${TONES[key] ?? 'neutral'}`}>{label ?? key.replace(/_/g, ' ')}</span>;
}

export function ErrorLine({ error }: { error: string | undefined }) {
  if (!error) return null;
  return (
    <p className="error" role="alert">
      {error}
    </p>
  );
}

export function Loading({ when }: { when: boolean }) {
  return when ? <p role="status">Loading…</p> : null;
}

export function shortSha(sha: string | null | undefined): string {
  return sha ? sha.slice(0, 7) : '—';
}

export function when(value: string | number): string {
  return new Date(value).toLocaleString(undefined, { dateStyle: 'short', timeStyle: 'short' });
}
