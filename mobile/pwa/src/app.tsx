/**
 * The signed-in shell: header, offline banner, the current screen (each one its own lazily loaded chunk, so the
 * first load carries only the shell) and the bottom navigation. Focus moves to the new screen's heading on
 * every route change so keyboard and screen-reader users land on the content.
 */
import { lazy, Suspense, useEffect, useMemo, useRef } from 'react';
import type { ReactNode } from 'react';
import { EdgeApi } from './api/client.js';
import type { Session } from './auth/session.js';
import { deviceId, hasRole } from './auth/session.js';
import type { AppConfig } from './config.js';
import { AppContext } from './context.js';
import { useOnline } from './hooks.js';
import type { Route } from './router.js';
import { href, useRoute } from './router.js';
import { OfflineBanner } from './components/offline-banner.js';

const screens = {
  command: lazy(() => import('./screens/command.js')),
  history: lazy(() => import('./screens/history.js')),
  job: lazy(() => import('./screens/job.js')),
  prs: lazy(() => import('./screens/prs.js')),
  pr: lazy(() => import('./screens/pr-detail.js')),
  status: lazy(() => import('./screens/status.js')),
  settings: lazy(() => import('./screens/settings.js')),
  admin: lazy(() => import('./screens/admin.js')),
};

const tabs: { route: Route; label: string; match: Route['name'][]; admin?: boolean }[] = [
  { route: { name: 'command' }, label: 'Command', match: ['command'] },
  { route: { name: 'history' }, label: 'History', match: ['history', 'job'] },
  { route: { name: 'prs' }, label: 'PRs', match: ['prs', 'pr'] },
  { route: { name: 'status' }, label: 'Status', match: ['status'] },
  { route: { name: 'admin' }, label: 'Admin', match: ['admin'], admin: true },
  { route: { name: 'settings' }, label: 'Settings', match: ['settings'] },
];

function renderScreen(route: Route): ReactNode {
  switch (route.name) {
    case 'job':
      return <screens.job id={route.id} />;
    case 'pr':
      return <screens.pr id={route.id} />;
    default: {
      const Screen = screens[route.name];
      return <Screen />;
    }
  }
}

export function App(props: {
  config: AppConfig;
  session: Session;
  logout: (reason?: string) => Promise<void>;
}) {
  const { config, session, logout } = props;
  const online = useOnline();
  const route = useRoute();
  const mainRef = useRef<HTMLElement>(null);
  const api = useMemo(
    () =>
      new EdgeApi({
        token: () => session.accessToken,
        onUnauthorized: () => void logout('Your session was refused by the server; sign in again.'),
        deviceId: deviceId(),
      }),
    [session, logout],
  );
  const value = useMemo(
    () => ({ config, session, api, online, logout }),
    [config, session, api, online, logout],
  );

  useEffect(() => {
    // Wait a frame so a lazily loaded screen has rendered its heading.
    const id = window.setTimeout(() => mainRef.current?.querySelector<HTMLElement>('h1')?.focus(), 50);
    return () => window.clearTimeout(id);
  }, [route]);

  return (
    <AppContext.Provider value={value}>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="topbar">
        <span className="brand">autocode</span>
        <span className="who">
          {session.name}
          {session.role ? <span className="role"> · {session.role}</span> : null}
        </span>
      </header>
      <OfflineBanner online={online} />
      <main id="main" ref={mainRef} tabIndex={-1}>
        <Suspense fallback={<p role="status">Loading…</p>}>{renderScreen(route)}</Suspense>
      </main>
      <nav className="tabs" aria-label="Main">
        {tabs
          .filter((t) => !t.admin || hasRole(session, 'admin'))
          .map((t) => (
            <a
              key={t.label}
              href={href(t.route)}
              aria-current={t.match.includes(route.name) ? 'page' : undefined}
            >
              {t.label}
            </a>
          ))}
      </nav>
    </AppContext.Provider>
  );
}
