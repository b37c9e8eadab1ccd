/**
 * Approval flow: choose approve or request changes, confirm in a dialog that names the PR, head SHA and policy
 * result, then prove presence with a WebAuthn assertion whose single-use challenge the edge bound to exactly
 * (PR, head SHA, decision). Nothing here is cached or queued; offline it is disabled.
 */
import { useRef, useState } from 'react';
import { ApiError, describeError } from '../api/client.js';
import type { Decision, PrDetail } from '../api/types.js';
import { useApp } from '../context.js';
import { registerPasskey } from './passkey.js';
import { Badge, ErrorLine, shortSha } from './ui.js';

const VERB: Record<Decision, string> = { approve: 'Approve', request_changes: 'Request changes' };

export function policyResult(pr: PrDetail): string {
  if (!pr.checks) return 'no check reported yet';
  return `${pr.checks.name}: ${pr.checks.conclusion ?? pr.checks.status}`;
}

export function ApprovalPanel({ pr, onDone }: { pr: PrDetail; onDone: () => void }) {
  const { api, online } = useApp();
  const dialog = useRef<HTMLDialogElement>(null);
  const [decision, setDecision] = useState<Decision>('approve');
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const [needsPasskey, setNeedsPasskey] = useState(false);
  const [done, setDone] = useState<string>();

  const ask = (d: Decision) => {
    setDecision(d);
    setError(undefined);
    dialog.current?.showModal();
  };

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const target = { repo: pr.repo, pr_number: pr.number, decision };
      const challenge = await api.approvalChallenge(target);
      if (challenge.head_sha !== pr.head_sha) {
        throw new Error(
          `The pull request changed since you opened it (head is now ${shortSha(challenge.head_sha)}); review it again.`,
        );
      }
      const { startAuthentication } = await import('@simplewebauthn/browser');
      const assertion = await startAuthentication({ optionsJSON: challenge.options as never });
      const result = await api.approve({
        ...target,
        head_sha: pr.head_sha,
        ...(comment.trim() ? { comment: comment.trim() } : {}),
        assertion,
      });
      dialog.current?.close();
      setDone(`${VERB[result.decision]} submitted for ${shortSha(pr.head_sha)}.`);
      onDone();
    } catch (err) {
      if (err instanceof ApiError && err.status === 403 && /passkey|security key/i.test(err.message)) {
        setNeedsPasskey(true);
      }
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  const addPasskey = async () => {
    setBusy(true);
    try {
      await registerPasskey(api);
      setNeedsPasskey(false);
      setError(undefined);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <div className="card" role="status">
        {done}
      </div>
    );
  }
  return (
    <div className="card approval">
      <h2>Your review</h2>
      <label htmlFor="review-comment">Comment (optional)</label>
      <textarea id="review-comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} />
      <div className="row">
        <button type="button" className="primary" disabled={!online || busy} onClick={() => ask('approve')}>
          Approve
        </button>
        <button
          type="button"
          className="danger"
          disabled={!online || busy}
          onClick={() => ask('request_changes')}
        >
          Request changes
        </button>
      </div>
      {!online ? <p className="hint">Offline: approvals are disabled.</p> : null}
      <dialog ref={dialog} aria-labelledby="confirm-title" className="confirm">
        <h2 id="confirm-title">{VERB[decision]} this pull request?</h2>
        <dl className="facts">
          <dt>Pull request</dt>
          <dd>
            {pr.repo}#{pr.number}: {pr.title}
          </dd>
          <dt>Head commit</dt>
          <dd>
            <code>{pr.head_sha}</code>
          </dd>
          <dt>Policy</dt>
          <dd>
            <Badge value={pr.checks?.conclusion ?? 'pending'} label={policyResult(pr)} />
          </dd>
        </dl>
        <p>Your passkey or device biometrics confirm it is you. The decision applies to this commit only.</p>
        <ErrorLine error={error} />
        {needsPasskey ? (
          <button type="button" onClick={addPasskey} disabled={busy}>
            Register a passkey on this device
          </button>
        ) : null}
        <div className="row">
          <button type="button" className="primary" onClick={confirm} disabled={busy || !online}>
            {busy ? 'Waiting for passkey…' : `Confirm: ${VERB[decision]}`}
          </button>
          <button type="button" onClick={() => dialog.current?.close()} disabled={busy}>
            Cancel
          </button>
        </div>
      </dialog>
    </div>
  );
}
