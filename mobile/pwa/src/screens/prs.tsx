/** Pull requests autocode opened, with state, review and check badges. */
import { useState } from 'react';
import { useApp } from '../context.js';
import { useRead } from '../hooks.js';
import { href } from '../router.js';
import { CachedNote } from '../components/offline-banner.js';
import { Badge, ErrorLine, Heading, Loading } from '../components/ui.js';

const STATES = ['open', 'merged', 'closed', 'all'] as const;

export default function PrsScreen() {
  const { api } = useApp();
  const [state, setState] = useState<(typeof STATES)[number]>('open');
  const prs = useRead(() => api.prs(state), [api, state]);
  return (
    <section>
      <Heading>Pull requests</Heading>
      <label htmlFor="pr-state">Show</label>
      <select
        id="pr-state"
        value={state}
        onChange={(e) => setState(e.target.value as (typeof STATES)[number])}
      >
        {STATES.map((s) => (
          <option key={s} value={s}>
            {s}
          </option>
        ))}
      </select>
      <Loading when={prs.loading && !prs.data} />
      <ErrorLine error={prs.error} />
      <CachedNote cachedAt={prs.cachedAt} />
      {prs.data && prs.data.prs.length === 0 ? (
        <p>No {state === 'all' ? '' : `${state} `}pull requests.</p>
      ) : null}
      <ul className="list">
        {prs.data?.prs.map((p) => (
          <li key={p.id}>
            <a href={href({ name: 'pr', id: p.id })}>
              <span className="title">{p.title}</span>
              <span className="meta">
                {p.repo}#{p.number}
              </span>
              <span className="badges">
                <Badge value={p.state} />
                {p.review_state ? <Badge value={p.review_state} /> : null}
                {p.checks ? (
                  <Badge
                    value={p.checks.conclusion ?? p.checks.status}
                    label={`${p.checks.name}: ${p.checks.conclusion ?? p.checks.status}`}
                  />
                ) : null}
              </span>
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}
