import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { deleteToken, readToken, writeToken } from "@/lib/token-store";
import { deleteSessionUser, readSessionUser, type SessionUser, writeSessionUser } from "@/session/user-store";

export type SessionStatus = "loading" | "signed-out" | "signed-in";

interface SessionContextValue {
  status: SessionStatus;
  /** Stable getter so the tRPC client can read the token without being rebuilt. */
  getToken: () => string | null;
  /**
   * The signed-in user as last confirmed by the server, read from the phone at launch so the app
   * opens offline; null until known (an install from before it was kept asks `auth.me`).
   */
  user: SessionUser | null;
  startSession: (token: string, user: SessionUser) => Promise<void>;
  /** Keeps the user's newer record (name, facility, rights) after the server sent it. */
  updateUser: (user: SessionUser) => Promise<void>;
  endSession: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>("loading");
  const [user, setUser] = useState<SessionUser | null>(null);
  const tokenRef = useRef<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    // An unreadable keystore (e.g. after a device restore) must not trap the
    // user on a spinner; signing in again is the recovery path.
    Promise.all([readToken().catch(() => null), readSessionUser().catch(() => null)]).then(([token, storedUser]) => {
      if (cancelled) return;
      tokenRef.current = token;
      setUser(token ? storedUser : null);
      setStatus(token ? "signed-in" : "signed-out");
    });
    return () => {
      cancelled = true;
    };
  }, []);

  const getToken = useCallback(() => tokenRef.current, []);

  const startSession = useCallback(async (token: string, signedInUser: SessionUser) => {
    await Promise.all([writeToken(token), writeSessionUser(signedInUser)]);
    tokenRef.current = token;
    setUser(signedInUser);
    setStatus("signed-in");
  }, []);

  const updateUser = useCallback(async (newer: SessionUser) => {
    setUser(newer);
    await writeSessionUser(newer).catch(() => undefined);
  }, []);

  const endSession = useCallback(async () => {
    // Drop the in-memory token first so no further request carries it. A
    // failed delete is tolerated: a leftover token is rejected by the server
    // on next launch, which routes back here.
    tokenRef.current = null;
    setUser(null);
    setStatus("signed-out");
    await Promise.all([deleteToken().catch(() => undefined), deleteSessionUser().catch(() => undefined)]);
  }, []);

  const value = useMemo(
    () => ({ status, user, getToken, startSession, updateUser, endSession }),
    [status, user, getToken, startSession, updateUser, endSession],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession must be used inside <SessionProvider>.");
  return value;
}
