/** System status: jobs by state, LLM spend against the daily budget, and the kill switch. Refreshes every 15 s. */
import { JOB_STATES } from '@autocode/toolkit/contract';
import { loadSystem } from '../api/system.js';
import { hasRole } from '../auth/session.js';
import { useApp } from '../context.js';
import { useRead } from '../hooks.js';
import { CachedNote } from '../components/offline-banner.js';
import { Badge, ErrorLine, Heading, Loading, when } from '../components/ui.js';

const usd = (n: number) => `$${n.toFixed(2)}`;

export default function StatusScreen() {
  const { api, session, online } = useApp();
  const status = useRead(
    () => loadSystem(api, hasRole(session, 'approver'), hasRole(session, 'admin')),
    [api, session],
    { pollMs: 15000, poll: () => online },
  );
  const s = status.data;
  const spend = s?.llm.spend_usd_today;
  const budget = s?.llm.budget_usd_daily;
  return (
    <section>
      <Heading>System status</Heading>
      <Loading when={status.loading && !s} />
      <ErrorLine error={status.error} />
      <CachedNote cachedAt={status.cachedAt} />
      {s ? (
        <>
          <div className={`card ${s.killswitch.active ? 'alert' : ''}`}>
            <h2>Kill switch</h2>
            {s.killswitch.active ? (
              <p>
                <Badge value="active" /> {s.killswitch.reason}
                {s.killswitch.tripped_by ? ` (by ${s.killswitch.tripped_by})` : ''}
                {s.killswitch.expires_at ? `; until ${when(s.killswitch.expires_at)}` : '; until cleared'}
              </p>
            ) : (
              <p>
                <Badge value="success" label="off" /> Commands and approvals are accepted.
              </p>
            )}
          </div>
          <div className="card">
            <h2>LLM spend today</h2>
            {spend != null && budget != null ? (
              <>
                <p>
                  {usd(spend)} of {usd(budget)} ({budget > 0 ? Math.round((spend / budget) * 100) : 0} %)
                </p>
                <meter
                  min={0}
                  max={budget * 2}
                  low={budget * 0.8}
                  high={budget}
                  value={spend}
                  aria-label="Spend against budget"
                />
              </>
            ) : (
              <p>
                {spend != null ? usd(spend) : 'Spend not reported by this edge.'}
                {budget != null ? ` Daily budget ${usd(budget)}.` : ''}
              </p>
            )}
          </div>
          <div className="card">
            <h2>Jobs</h2>
            <table className="counts">
              <thead>
                <tr>
                  <th scope="col">State</th>
                  <th scope="col">Jobs</th>
                </tr>
              </thead>
              <tbody>
                {JOB_STATES.map((st) => (
                  <tr key={st}>
                    <th scope="row">
                      <Badge value={st} />
                    </th>
                    <td>{s.jobs[st] ?? 0}</td>
                  </tr>
                ))}
              </tbody>
            </table>
            {s.partial ? <p className="hint">Counted from the recent command history.</p> : null}
          </div>
        </>
      ) : null}
    </section>
  );
}
