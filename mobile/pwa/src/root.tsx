/**
 * Session lifecycle: shows the sign-in screen or the app, ends the session after 15 idle minutes or at token
 * expiry, and signs out cleanly (push subscription removed, saved API responses deleted, provider session
 * ended when it offers RP-initiated logout).
 */
import { useCallback, useEffect, useState } from 'react';
import { API_CACHE } from './api/paths.js';
import type { Session } from './auth/session.js';
import { clearSession, remainingMs, touch } from './auth/session.js';
import type { AppConfig } from './config.js';
import { App } from './app.js';
import { Login } from './screens/login.js';
import { dropPushSubscription } from './push.js';

const ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'touchstart'] as const;

export function Root(props: { config: AppConfig; session: Session | undefined; notice?: string }) {
  const { config } = props;
  const [session, setSession] = useState(props.session);
  const [notice, setNotice] = useState(props.notice);

  const logout = useCallback(
    async (reason?: string) => {
      const ending = session;
      if (ending) await dropPushSubscription(ending.accessToken).catch(() => undefined);
      clearSession();
      await caches?.delete(API_CACHE).catch(() => false);
      setSession(undefined);
      setNotice(reason);
      if (!reason && ending) {
        const { endSessionUrl } = await import('./auth/oidc.js');
        const url = await endSessionUrl(config, ending.idToken);
        if (url) location.assign(url);
      }
    },
    [config, session],
  );

  useEffect(() => {
    if (!session) return;
    const onActivity = () => touch();
    for (const e of ACTIVITY_EVENTS) window.addEventListener(e, onActivity, { passive: true });
    const timer = window.setInterval(() => {
      if (remainingMs(session) <= 0) void logout('You were signed out after 15 minutes without activity.');
    }, 5000);
    return () => {
      for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, onActivity);
      window.clearInterval(timer);
    };
  }, [session, logout]);

  if (!session) return <Login config={config} notice={notice} />;
  return <App config={config} session={session} logout={logout} />;
}
