/** Command history: the user's jobs (approvers may switch to everyone's), newest first, with state badges. */
import { useState } from 'react';
import { hasRole } from '../auth/session.js';
import { useApp } from '../context.js';
import { useRead } from '../hooks.js';
import { href } from '../router.js';
import { CachedNote } from '../components/offline-banner.js';
import { Badge, ErrorLine, Heading, Loading, when } from '../components/ui.js';

export default function HistoryScreen() {
  const { api, session } = useApp();
  const [all, setAll] = useState(false);
  const jobs = useRead(() => api.jobs(all), [api, all]);
  return (
    <section>
      <Heading>Command history</Heading>
      {hasRole(session, 'approver') ? (
        <label className="inline">
          <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Everyone’s
          commands
        </label>
      ) : null}
      <Loading when={jobs.loading && !jobs.data} />
      <ErrorLine error={jobs.error} />
      <CachedNote cachedAt={jobs.cachedAt} />
      {jobs.data && jobs.data.jobs.length === 0 ? <p>No commands yet.</p> : null}
      <ul className="list">
        {jobs.data?.jobs.map((j) => (
          <li key={j.job_id}>
            <a href={href({ name: 'job', id: j.job_id })}>
              <span className="title">
                {j.command} · {j.repo}
              </span>
              <Badge value={j.state} />
              <span className="meta">{when(j.created_at)}</span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
