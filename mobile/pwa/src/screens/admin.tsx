/**
 * Admin: trip the kill switch (reason, duration) or clear it, and billing proposals: anything that changes
 * cost is a proposal that two other admins must approve; the edge applies it exactly once.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { describeError } from '../api/client.js';
import type { BillingSetting } from '../api/types.js';
import { BILLING_SETTINGS } from '../api/types.js';
import { hasRole } from '../auth/session.js';
import { useApp } from '../context.js';
import { useRead } from '../hooks.js';
import { CachedNote } from '../components/offline-banner.js';
import { Badge, ErrorLine, Heading, when } from '../components/ui.js';

const DURATIONS = [
  { minutes: 30, label: '30 minutes' },
  { minutes: 120, label: '2 hours' },
  { minutes: 24 * 60, label: '1 day' },
  { minutes: 0, label: 'Until cleared' },
];
const SETTING_LABEL: Record<BillingSetting, string> = {
  daily_llm_budget_usd: 'Daily LLM budget (USD)',
  runner_max: 'Runner maximum',
};

function KillSwitch() {
  const { api, online } = useApp();
  const ks = useRead(() => api.killSwitch(), [api]);
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState(120);
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);
  const submit = async (active: boolean, e?: FormEvent) => {
    e?.preventDefault();
    if (!reason.trim()) return setError('Give a reason; it is audited and sent with the alert.');
    setBusy(true);
    setError(undefined);
    try {
      await api.setKillSwitch({
        active,
        reason: reason.trim(),
        ...(active && minutes ? { duration_minutes: minutes } : {}),
      });
      setReason('');
      ks.reload();
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  const active = ks.data?.active;
  return (
    <form className={`card ${active ? 'alert' : ''}`} onSubmit={(e) => void submit(true, e)}>
      <h2>Kill switch</h2>
      <CachedNote cachedAt={ks.cachedAt} />
      <p role="status">
        {active ? (
          <>
            <Badge value="active" /> {ks.data?.reason}{' '}
            {ks.data?.expires_at ? `(until ${when(ks.data.expires_at)})` : '(until cleared)'}
          </>
        ) : ks.data ? (
          <>
            <Badge value="success" label="off" /> Automation is running.
          </>
        ) : null}
      </p>
      <label htmlFor="ks-reason">Reason for the kill switch</label>
      <input id="ks-reason" value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
      {!active ? (
        <>
          <label htmlFor="ks-duration">Duration</label>
          <select id="ks-duration" value={minutes} onChange={(e) => setMinutes(Number(e.target.value))}>
            {DURATIONS.map((d) => (
              <option key={d.minutes} value={d.minutes}>
                {d.label}
              </option>
            ))}
          </select>
        </>
      ) : null}
      <ErrorLine error={error} />
      {active ? (
        <button
          type="button"
          className="primary"
          disabled={busy || !online}
          onClick={() => void submit(false)}
        >
          Clear kill switch
        </button>
      ) : (
        <button type="submit" className="danger" disabled={busy || !online}>
          Trip kill switch
        </button>
      )}
    </form>
  );
}

function Billing() {
  const { api, session, online } = useApp();
  const list = useRead(() => api.proposals(), [api]);
  const [setting, setSetting] = useState<BillingSetting>('daily_llm_budget_usd');
  const [value, setValue] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const run = async (action: () => Promise<unknown>) => {
    setError(undefined);
    try {
      await action();
      list.reload();
    } catch (err) {
      setError(describeError(err));
    }
  };
  const create = (e: FormEvent) => {
    e.preventDefault();
    const n = Number(value);
    if (value === '' || !Number.isFinite(n) || n < 0) return setError('Value must be a number ≥ 0.');
    if (!reason.trim()) return setError('Say why the cost should change.');
    void run(async () => {
      await api.createProposal({ setting, value: n, reason: reason.trim() });
      setValue('');
      setReason('');
    });
  };
  return (
    <div className="card">
      <h2>Billing proposals</h2>
      <CachedNote cachedAt={list.cachedAt} />
      {list.data ? (
        <p>
          Now: daily LLM budget {list.data.settings.daily_llm_budget_usd ?? 'default'}
          {list.data.settings.daily_llm_budget_usd != null ? ' USD' : ''}, runner maximum{' '}
          {list.data.settings.runner_max ?? 'default'}.
        </p>
      ) : null}
      <ul className="list">
        {list.data?.proposals.map((p) => (
          <li key={p.id} className="proposal">
            <span className="title">
              {SETTING_LABEL[p.setting] ?? p.setting} → {p.value}
            </span>
            <Badge value={p.status} />
            <span className="meta">
              {p.reason} · by {p.proposed_by} · {p.approvals.length}/{p.required_approvals} approvals
            </span>
            {p.status === 'pending' && p.proposed_by !== session.sub && !p.approvals.includes(session.sub) ? (
              <button
                type="button"
                disabled={!online}
                onClick={() => void run(() => api.approveProposal(p.id))}
              >
                Approve proposal
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <form onSubmit={create}>
        <h3>New proposal</h3>
        <label htmlFor="bp-setting">Setting</label>
        <select
          id="bp-setting"
          value={setting}
          onChange={(e) => setSetting(e.target.value as BillingSetting)}
        >
          {BILLING_SETTINGS.map((s) => (
            <option key={s} value={s}>
              {SETTING_LABEL[s]}
            </option>
          ))}
        </select>
        <label htmlFor="bp-value">New value</label>
        <input id="bp-value" inputMode="decimal" value={value} onChange={(e) => setValue(e.target.value)} />
        <label htmlFor="bp-reason">Reason for the change</label>
        <input id="bp-reason" value={reason} maxLength={1000} onChange={(e) => setReason(e.target.value)} />
        <ErrorLine error={error ?? list.error} />
        <button type="submit" disabled={!online}>
          Propose change
        </button>
      </form>
    </div>
  );
}

export default function AdminScreen() {
  const { session } = useApp();
  return (
    <section>
      <Heading>Admin</Heading>
      {hasRole(session, 'admin') ? (
        <>
          <KillSwitch />
          <Billing />
        </>
      ) : (
        <p>This screen needs the admin role.</p>
      )}
    </section>
  );
}
