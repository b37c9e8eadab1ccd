/** Settings: who is signed in, passkey, notifications on/off, appearance, and sign out. */
import { useEffect, useState } from 'react';
import { describeError } from '../api/client.js';
import { useApp } from '../context.js';
import { currentSubscription, disablePush, enablePush, pushSupported } from '../push.js';
import type { Appearance } from '../theme.js';
import { applyAppearance, readAppearance } from '../theme.js';
import { registerPasskey } from '../components/passkey.js';
import { ErrorLine, Heading } from '../components/ui.js';

const APPEARANCES: { value: Appearance; label: string }[] = [
  { value: 'system', label: 'Use system setting' },
  { value: 'light', label: 'Light' },
  { value: 'dark', label: 'Dark' },
];

function Notifications() {
  const { api, config, online } = useApp();
  const [on, setOn] = useState<boolean>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  useEffect(() => {
    void currentSubscription().then(
      (s) => setOn(!!s),
      () => setOn(false),
    );
  }, []);
  const key = config.vapid_public_key;
  if (!pushSupported() || !key) {
    return (
      <p className="hint">Notifications are not available {key ? 'in this browser' : 'on this server'}.</p>
    );
  }
  const toggle = async (want: boolean) => {
    setBusy(true);
    setError(undefined);
    try {
      if (want) await enablePush(api, key);
      else await disablePush(api);
      setOn(want);
    } catch (err) {
      setError(`Could not turn notifications ${want ? 'on' : 'off'}: ${describeError(err)}`);
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <label className="inline">
        <input
          type="checkbox"
          checked={!!on}
          disabled={busy || on === undefined || !online}
          onChange={(e) => void toggle(e.target.checked)}
        />{' '}
        Notify me when a PR is ready, a job fails or my approval is requested
      </label>
      <ErrorLine error={error} />
    </>
  );
}

export default function SettingsScreen() {
  const { api, session, online, logout } = useApp();
  const [appearance, setAppearance] = useState(readAppearance);
  const [passkey, setPasskey] = useState<string>();
  const [error, setError] = useState<string>();
  const choose = (a: Appearance) => {
    setAppearance(a);
    applyAppearance(a);
  };
  const addPasskey = async () => {
    setError(undefined);
    try {
      await registerPasskey(api);
      setPasskey('Passkey registered on this device.');
    } catch (err) {
      setError(describeError(err));
    }
  };
  return (
    <section>
      <Heading>Settings</Heading>
      <div className="card">
        <h2>Account</h2>
        <p>
          Signed in as <strong>{session.name}</strong> ({session.role ?? 'no role'}). Sessions end after 15
          minutes without activity.
        </p>
        <button type="button" onClick={() => void logout()}>
          Sign out
        </button>
      </div>
      <div className="card">
        <h2>Passkey</h2>
        <p>Approvals are confirmed with a passkey or your device’s biometrics.</p>
        <button type="button" onClick={() => void addPasskey()} disabled={!online}>
          Register a passkey
        </button>
        {passkey ? <p role="status">{passkey}</p> : null}
        <ErrorLine error={error} />
      </div>
      <div className="card">
        <h2>Notifications</h2>
        <Notifications />
      </div>
      <fieldset className="card">
        <legend>Appearance</legend>
        {APPEARANCES.map((a) => (
          <label key={a.value} className="inline">
            <input
              type="radio"
              name="appearance"
              value={a.value}
              checked={appearance === a.value}
              onChange={() => choose(a.value)}
            />{' '}
            {a.label}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
