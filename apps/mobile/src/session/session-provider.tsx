import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { deleteToken, readToken, writeToken } from "@/lib/token-store";

export type SessionStatus = "loading" | "signed-out" | "signed-in";

interface SessionContextValue {
  status: SessionStatus;
  /** Stable getter so the tRPC client can read the token without being rebuilt. */
  getToken: () => string | null;
  startSession: (token: string) => Promise<void>;
  endSession: () => Promise<void>;
}

const SessionContext = createContext<SessionContextValue | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [status, setStatus] = useState<SessionStatus>("loading");
  const tokenRef = useRef<string | null>(null);

  useEffect(() => {
    let cancelled = false;
    readToken()
      // An unreadable keystore (e.g. after a device restore) must not trap the
      // user on a spinner; signing in again is the recovery path.
      .catch(() => null)
      .then((token) => {
        if (cancelled) return;
        tokenRef.current = token;
        setStatus(token ? "signed-in" : "signed-out");
      });
    return () => {
      cancelled = true;
    };
  }, []);

  const getToken = useCallback(() => tokenRef.current, []);

  const startSession = useCallback(async (token: string) => {
    await writeToken(token);
    tokenRef.current = token;
    setStatus("signed-in");
  }, []);

  const endSession = useCallback(async () => {
    // Drop the in-memory token first so no further request carries it. A
    // failed delete is tolerated: a leftover token is rejected by the server
    // on next launch, which routes back here.
    tokenRef.current = null;
    setStatus("signed-out");
    await deleteToken().catch(() => undefined);
  }, []);

  const value = useMemo(
    () => ({ status, getToken, startSession, endSession }),
    [status, getToken, startSession, endSession],
  );

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): SessionContextValue {
  const value = useContext(SessionContext);
  if (!value) throw new Error("useSession must be used inside <SessionProvider>.");
  return value;
}
