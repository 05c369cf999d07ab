/**
 * @module web/session
 * The logged-in user: the session token (kept in sessionStorage, so it ends with the tab), who the
 * user is (`GET /api/v1/auth/me`), the organisations in their scope (names for every screen), and
 * the API client that carries the token. A 401 from any call ends the session.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { ApiClient } from './api-client.js';
import type { LoginReply, Me, Organization } from './api-types.js';

const tokenKey = 'vigil.token';

export interface Session {
  api: ApiClient;
  me: Me;
  orgs: ReadonlyMap<string, Organization>;
  /** Whether the user's organisation is the national centre (sees everything, campaigns). */
  centre: boolean;
  logout: () => void;
}

interface SessionState {
  session: Session | null;
  /** True until a stored token has been checked. */
  restoring: boolean;
  login: (username: string, password: string) => Promise<void>;
}

const SessionContext = createContext<SessionState | null>(null);

function readToken(): string | null {
  try {
    return window.sessionStorage.getItem(tokenKey);
  } catch {
    return null;
  }
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(readToken);
  const [me, setMe] = useState<Me | null>(null);
  const [orgs, setOrgs] = useState<ReadonlyMap<string, Organization>>(new Map());
  const [restoring, setRestoring] = useState<boolean>(token !== null);

  const logout = useCallback(() => {
    const current = readToken();
    if (current) void new ApiClient(current).post('/api/v1/auth/logout').catch(() => undefined);
    window.sessionStorage.removeItem(tokenKey);
    setToken(null);
    setMe(null);
  }, []);

  const api = useMemo(() => new ApiClient(token, () => {
    window.sessionStorage.removeItem(tokenKey);
    setToken(null);
    setMe(null);
  }), [token]);

  useEffect(() => {
    if (token === null) {
      setRestoring(false);
      return;
    }
    let cancelled = false;
    Promise.all([api.get<Me>('/api/v1/auth/me'), api.get<{ items: Organization[] }>('/api/v1/orgs')])
      .then(([who, list]) => {
        if (cancelled) return;
        setMe(who);
        setOrgs(new Map(list.items.map((o) => [o.id, o])));
      })
      .catch(() => undefined)
      .finally(() => !cancelled && setRestoring(false));
    return () => {
      cancelled = true;
    };
  }, [token, api]);

  const login = useCallback(async (username: string, password: string) => {
    const reply = await new ApiClient(null).post<LoginReply>('/api/v1/auth/login', { username, password });
    window.sessionStorage.setItem(tokenKey, reply.token);
    setRestoring(true);
    setToken(reply.token);
  }, []);

  const value = useMemo<SessionState>(() => ({
    session: token !== null && me !== null ? { api, me, orgs, centre: me.organization.kind === 'national', logout } : null,
    restoring,
    login,
  }), [token, me, api, orgs, logout, restoring, login]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSessionState(): SessionState {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSessionState outside SessionProvider');
  return value;
}

/** The session of a logged-in screen (the layout renders screens only when there is one). */
export function useSession(): Session {
  const { session } = useSessionState();
  if (!session) throw new Error('useSession without a session');
  return session;
}
