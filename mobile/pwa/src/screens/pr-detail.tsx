/** PR detail: head SHA, checks and policy result, files changed with their diffs, and the approval panel. */
import type { MouseEvent } from 'react';
import { hasRole } from '../auth/session.js';
import { useApp } from '../context.js';
import { useRead } from '../hooks.js';
import { ApprovalPanel, policyResult } from '../components/approval.js';
import { DiffView } from '../components/diff-view.js';
import { CachedNote } from '../components/offline-banner.js';
import { Badge, ErrorLine, Heading, Loading, shortSha } from '../components/ui.js';

export default function PrDetailScreen({ id }: { id: number }) {
  const { api, session } = useApp();
  const pr = useRead(() => api.pr(id), [api, id]);
  const p = pr.data;
  const adds = p?.files.reduce((n, f) => n + f.additions, 0) ?? 0;
  const dels = p?.files.reduce((n, f) => n + f.deletions, 0) ?? 0;
  return (
    <section>
      <Heading>{p ? p.title : `Pull request ${id}`}</Heading>
      <Loading when={pr.loading && !p} />
      <ErrorLine error={pr.error} />
      <CachedNote cachedAt={pr.cachedAt} />
      {p ? (
        <>
          <dl className="facts">
            <dt>Repository</dt>
            <dd>
              {p.repo}#{p.number}
              {p.author ? ` by ${p.author}` : ''}
            </dd>
            <dt>State</dt>
            <dd>
              <Badge value={p.state} />
              {p.review_state ? <Badge value={p.review_state} /> : null}
            </dd>
            <dt>Head</dt>
            <dd>
              <code title={p.head_sha}>{shortSha(p.head_sha)}</code>
            </dd>
            <dt>Policy</dt>
            <dd>{policyResult(p)}</dd>
          </dl>
          {p.state === 'open' && hasRole(session, 'approver') ? (
            p.can_approve ? (
              <ApprovalPanel pr={p} onDone={pr.reload} />
            ) : (
              <p className="hint">You requested this change, so someone else must approve it.</p>
            )
          ) : null}
          <h2>
            Files changed ({p.files.length}) <span className="adds">+{adds}</span>{' '}
            <span className="dels">−{dels}</span>
          </h2>
          <ul className="files">
            {p.files.map((f) => (
              <li key={f.filename}>
                <a href={`#/prs/${id}`} onClick={(e) => scrollToFile(e, f.filename)}>
                  {f.filename}
                </a>{' '}
                <span className="meta">
                  +{f.additions} −{f.deletions}
                </span>
              </li>
            ))}
          </ul>
          {p.files.map((f) => (
            <DiffView key={f.filename} file={f} />
          ))}
        </>
      ) : null}
    </section>
  );
}

function scrollToFile(e: MouseEvent, filename: string): void {
  e.preventDefault();
  const el = document.getElementById(`file-${filename.replace(/[^A-Za-z0-9]/g, '-')}`);
  el?.scrollIntoView({ block: 'start' });
  el?.setAttribute('tabindex', '-1');
  el?.focus();
}
