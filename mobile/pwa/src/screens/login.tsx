/** Sign-in: one button that starts the OIDC authorization code flow with PKCE. */
import { useState } from 'react';
import type { AppConfig } from '../config.js';

export function Login({ config, notice }: { config: AppConfig; notice: string | undefined }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const signIn = async () => {
    setBusy(true);
    setError(undefined);
    try {
      const { beginLogin } = await import('../auth/oidc.js');
      await beginLogin(config);
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
      setBusy(false);
    }
  };
  return (
    <main id="main" className="login">
      <h1>autocode</h1>
      <p>Submit commands, review pull requests and approve them with a passkey.</p>
      {notice ? (
        <p className="notice" role="status">
          {notice}
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {error}
        </p>
      ) : null}
      <button type="button" className="primary" onClick={signIn} disabled={busy || !navigator.onLine}>
        {busy ? 'Opening sign-in…' : 'Sign in'}
      </button>
      {!navigator.onLine ? <p className="hint">Signing in needs a connection.</p> : null}
      <p className="hint">
        Signed in through {new URL(config.oidc.issuer).host}. Sessions end after 15 idle minutes.
      </p>
    </main>
  );
}
