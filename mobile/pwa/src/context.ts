/** What every screen needs: configuration, the session, the API client, online state and the sign-out action. */
import { createContext, useContext } from 'react';
import type { EdgeApi } from './api/client.js';
import type { Session } from './auth/session.js';
import type { AppConfig } from './config.js';

export interface AppContextValue {
  config: AppConfig;
  session: Session;
  api: EdgeApi;
  online: boolean;
  logout: (reason?: string) => Promise<void>;
}

export const AppContext = createContext<AppContextValue | undefined>(undefined);

export function useApp(): AppContextValue {
  const v = useContext(AppContext);
  if (!v) throw new Error('useApp outside <AppContext.Provider>');
  return v;
}
