/**
 * Entry: apply the appearance, register the service worker, read `/config.json`, finish an OIDC callback if
 * this load is one, then render. Everything else loads on demand.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { isCallback } from './auth/callback.js';
import { readSession, saveSession } from './auth/session.js';
import type { Session } from './auth/session.js';
import { loadConfig } from './config.js';
import { applyAppearance, readAppearance } from './theme.js';
import { Root } from './root.js';
import { trustedScriptUrl } from './trusted-types.js';
import './styles.css';

applyAppearance(readAppearance());
if ('serviceWorker' in navigator) {
  navigator.serviceWorker.register(trustedScriptUrl('/sw.js'), { scope: '/' }).catch((err: unknown) => {
    console.warn('service worker registration failed', err);
  });
}

const container = document.getElementById('root')!;
const root = createRoot(container);

async function boot(): Promise<void> {
  const config = await loadConfig();
  const url = new URL(location.href);
  let session: Session | undefined;
  let notice: string | undefined;
  if (isCallback(url)) {
    try {
      const { completeLogin } = await import('./auth/oidc.js');
      session = await completeLogin(config, url);
      saveSession(session);
    } catch (err) {
      notice = `Sign-in failed: ${err instanceof Error ? err.message : String(err)}`;
    }
    history.replaceState(null, '', `/${location.hash}`);
  } else {
    session = readSession();
  }
  root.render(
    <StrictMode>
      <Root config={config} session={session} notice={notice} />
    </StrictMode>,
  );
}

boot().catch((err: unknown) => {
  root.render(
    <main className="boot-error">
      <h1>autocode cannot start</h1>
      <p role="alert">{err instanceof Error ? err.message : String(err)}</p>
    </main>,
  );
});
