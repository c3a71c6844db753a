import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { api, ApiError, onSessionLost, setCsrfToken } from '../../api/client';
import { startLive, stopLive } from '../../api/live';
import type { DisplaySettings, Session, User } from '../../api/types';
import { setDisplayPreferences } from '../../lib/date-format';
import { canManageAccounts, isStaff } from './roles';

type Phase =
  | { kind: 'loading' }
  | { kind: 'unreachable'; message: string }
  | { kind: 'setup' }
  | { kind: 'signed-out'; reason?: string }
  | { kind: 'signed-in'; session: Session };

interface SessionApi {
  phase: Phase;
  start: (session: Session) => void;
  signOut: () => Promise<void>;
  updateUser: (user: User) => void;
  /** Dates and times changed (the firm's or one's own): what now applies, from the hub. */
  reloadDisplay: () => Promise<void>;
  retry: () => void;
}

function applyDisplay(display: DisplaySettings | undefined): void {
  setDisplayPreferences({ locale: display?.locale ?? undefined, clock: display?.clock ?? undefined });
}

const SessionContext = createContext<SessionApi | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [phase, setPhase] = useState<Phase>({ kind: 'loading' });
  const [attempt, setAttempt] = useState(0);

  // biome-ignore lint/correctness/useExhaustiveDependencies: runs again on each new attempt (retry); start is stable in effect
  useEffect(() => {
    let cancelled = false;
    void (async () => {
      try {
        // Both at once: one round trip fewer before the first screen on a slow line.
        const sessionAsked = api.get<Session>('/api/auth/session');
        sessionAsked.catch(() => undefined);
        const { setupNeeded } = await api.get<{ setupNeeded: boolean }>('/api/setup');
        if (cancelled) return;
        if (setupNeeded) return setPhase({ kind: 'setup' });
        try {
          const session = await sessionAsked;
          if (!cancelled) start(session);
        } catch (error) {
          if (cancelled) return;
          if (error instanceof ApiError && error.status === 401) setPhase({ kind: 'signed-out' });
          else throw error;
        }
      } catch (error) {
        if (!cancelled)
          setPhase({ kind: 'unreachable', message: error instanceof Error ? error.message : String(error) });
      }
    })();
    return () => {
      cancelled = true;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [attempt]);

  const start = useCallback((session: Session) => {
    setCsrfToken(session.csrfToken);
    applyDisplay(session.display);
    setPhase({ kind: 'signed-in', session });
    startLive();
  }, []);

  useEffect(() => {
    onSessionLost(() => {
      stopLive();
      setCsrfToken('');
      setPhase({ kind: 'signed-out', reason: 'Your session ended. Sign in again to carry on.' });
    });
    return () => onSessionLost(null);
  }, []);

  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  const value = useMemo<SessionApi>(
    () => ({
      phase,
      start,
      retry,
      updateUser: (user) =>
        setPhase((p) => (p.kind === 'signed-in' ? { kind: 'signed-in', session: { ...p.session, user } } : p)),
      reloadDisplay: async () => {
        const { display, user } = await api.get<Session>('/api/auth/session');
        applyDisplay(display);
        setPhase((p) => (p.kind === 'signed-in' ? { kind: 'signed-in', session: { ...p.session, user, display } } : p));
      },
      signOut: async () => {
        try {
          await api.post('/api/auth/sign-out');
        } finally {
          stopLive();
          setCsrfToken('');
          setPhase({ kind: 'signed-out' });
        }
      },
    }),
    [phase, start, retry],
  );
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionApi {
  const ctx = useContext(SessionContext);
  if (!ctx) throw new Error('useSession outside SessionProvider');
  return ctx;
}

/** The signed-in user and what they may do. Only used below the sign-in gate. */
export function useMe() {
  const { phase } = useSession();
  if (phase.kind !== 'signed-in') throw new Error('useMe while signed out');
  const user = phase.session.user;
  return {
    user,
    /** Staff may change the register (clients, sites, systems, contacts); client users only read. */
    canEdit: isStaff(user.role),
    canManage: canManageAccounts(user.role),
  };
}
