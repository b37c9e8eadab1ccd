/** Job status: polls the edge every 2 s until the job reaches a final state, then links to its PR or run. */
import { useApp } from '../context.js';
import { useRead } from '../hooks.js';
import { href } from '../router.js';
import { CachedNote } from '../components/offline-banner.js';
import { Badge, ErrorLine, Heading, Loading, when } from '../components/ui.js';

const FINAL = new Set(['pr_opened', 'failed', 'cancelled']);
const STEPS = ['queued', 'dispatched', 'running', 'pr_opened'];

/** The PR detail route is keyed by the edge's PR row id; find the row this job opened. */
function PrLink({ jobId, repo, number }: { jobId: string; repo: string; number: number }) {
  const { api } = useApp();
  const prs = useRead(() => api.prs('all'), [api, jobId]);
  const pr = prs.data?.prs.find((p) => p.job_id === jobId || (p.repo === repo && p.number === number));
  return (
    <p>
      Pull request #{number} opened.{' '}
      {pr ? (
        <a href={href({ name: 'pr', id: pr.id })}>Review pull request #{number}</a>
      ) : (
        <a href="#/prs">Pull requests</a>
      )}
    </p>
  );
}

export default function JobScreen({ id }: { id: string }) {
  const { api, online } = useApp();
  const job = useRead(() => api.job(id), [api, id], {
    pollMs: 2000,
    poll: (j) => online && !FINAL.has(j.state),
  });
  const j = job.data;
  return (
    <section>
      <Heading>Job {id.slice(0, 8)}</Heading>
      <Loading when={job.loading && !j} />
      <ErrorLine error={job.error} />
      <CachedNote cachedAt={job.cachedAt} />
      {j ? (
        <>
          <p className="job-state" role="status" aria-live="polite">
            State: <Badge value={j.state} />
          </p>
          {j.state !== 'failed' && j.state !== 'cancelled' ? (
            <ol className="steps" aria-label="Progress">
              {STEPS.map((s) => (
                <li key={s} aria-current={s === j.state ? 'step' : undefined}>
                  {s.replace('_', ' ')}
                </li>
              ))}
            </ol>
          ) : null}
          <dl className="facts">
            <dt>Command</dt>
            <dd>{j.command}</dd>
            <dt>Repository</dt>
            <dd>{j.repo}</dd>
            <dt>Requested</dt>
            <dd>
              {when(j.created_at)} by {j.requested_by}
            </dd>
            <dt>Updated</dt>
            <dd>{when(j.updated_at)}</dd>
            {j.message ? (
              <>
                <dt>Message</dt>
                <dd>{j.message}</dd>
              </>
            ) : null}
          </dl>
          {j.pr_number ? <PrLink jobId={j.job_id} repo={j.repo} number={j.pr_number} /> : null}
          {j.run_url ? (
            <p>
              <a href={j.run_url} target="_blank" rel="noreferrer">
                Workflow run
              </a>
            </p>
          ) : null}
        </>
      ) : null}
    </section>
  );
}
