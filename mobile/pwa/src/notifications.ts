/**
 * What a Web Push message becomes on screen. The edge records notifications by kind (`pr.opened`, `job.failed`,
 * `approval.requested`); the service worker turns a payload into a title, body and an in-app link. Links are
 * app routes (`#/…`) only: a push payload can never send the user to another origin.
 */
export interface PushPayload {
  kind?: string;
  title?: string;
  body?: string;
  repo?: string;
  number?: number;
  pr_id?: number;
  job_id?: string;
  message?: string;
}

export interface ShownNotification {
  title: string;
  body: string;
  /** Same-origin app route, e.g. `/#/prs/12`. */
  url: string;
  tag: string;
}

const KINDS: Record<string, 'pr' | 'failed' | 'approval'> = {
  'pr.opened': 'pr',
  pr_ready: 'pr',
  'job.failed': 'failed',
  job_failed: 'failed',
  'approval.requested': 'approval',
  approval_requested: 'approval',
};

export function toNotification(input: unknown): ShownNotification {
  const p = (input && typeof input === 'object' ? input : {}) as PushPayload;
  const kind = KINDS[p.kind ?? ''];
  const pr = p.repo && p.number ? `${p.repo}#${p.number}` : 'A pull request';
  const prRoute = typeof p.pr_id === 'number' ? `/#/prs/${p.pr_id}` : '/#/prs';
  const jobRoute = p.job_id && /^[0-9a-f-]{36}$/i.test(p.job_id) ? `/#/jobs/${p.job_id}` : '/#/history';
  switch (kind) {
    case 'pr':
      return {
        title: p.title ?? 'PR ready',
        body: p.body ?? `${pr} is ready for review.`,
        url: prRoute,
        tag: `pr-${pr}`,
      };
    case 'failed':
      return {
        title: p.title ?? 'Job failed',
        body: p.body ?? `${p.repo ?? 'A job'}: ${p.message ?? 'the job failed'}`,
        url: jobRoute,
        tag: `job-${p.job_id ?? 'unknown'}`,
      };
    case 'approval':
      return {
        title: p.title ?? 'Approval requested',
        body: p.body ?? `${pr} needs your approval.`,
        url: prRoute,
        tag: `approval-${pr}`,
      };
    default:
      return {
        title: p.title ?? 'autocode',
        body: p.body ?? 'Something changed.',
        url: '/',
        tag: 'autocode',
      };
  }
}
