import NetInfo from "@react-native-community/netinfo";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useRef, useState } from "react";
import { AppState, Platform } from "react-native";
import { useTRPCClient } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";
import { userDeviceStore } from "./device-storage";
import { type LocalState, SyncEngine, type SyncState } from "./engine";
import { LocalRejection } from "./optimistic";
import { createTrpcTransport } from "./trpc-transport";
import type { SyncAction } from "./types";

/** How often a connected phone asks for its facility's changes while the app is open. */
const PULL_EVERY_MS = 60_000;

/** The platform a sync client is registered with: what the server accepts, web for anything else. */
function devicePlatform(): "android" | "ios" | "web" {
  return Platform.OS === "android" || Platform.OS === "ios" ? Platform.OS : "web";
}

const initialState: SyncState = {
  waiting: 0,
  rejected: 0,
  syncing: false,
  pulling: false,
  lastError: null,
  lastSyncedAt: null,
  retryAt: null,
};

interface SyncContextValue {
  /** Null until the signed-in user's facility is known (an install from before it was kept, offline). */
  engine: SyncEngine | null;
  state: SyncState;
  /** What the phone holds and shows (pulled data with the queue's effect); null until read from the device. */
  local: LocalState | null;
  /** As the device reports it; the engine also finds out by trying. */
  online: boolean;
}

const SyncContext = createContext<SyncContextValue | null>(null);

/**
 * Runs the signed-in user's sync engine: starts it (resuming what a previous run left queued),
 * pulls on start, every minute, when the connection or the app comes back and after each push,
 * and keeps the screens' copy of the local state current.
 */
export function SyncProvider({ children }: { children: ReactNode }) {
  const { status, user, updateUser, endSession } = useSession();
  const client = useTRPCClient();
  const [online, setOnline] = useState(true);
  const [state, setState] = useState<SyncState>(initialState);
  const [local, setLocal] = useState<LocalState | null>(null);

  const userId = status === "signed-in" ? (user?.id ?? null) : null;
  const orgUnitId = status === "signed-in" ? (user?.orgUnitId ?? null) : null;
  const engine = useMemo(
    () =>
      userId === null || orgUnitId === null
        ? null
        : new SyncEngine({
            storage: userDeviceStore(userId),
            transport: createTrpcTransport(client),
            orgUnitId,
            platform: devicePlatform(),
          }),
    [userId, orgUnitId, client],
  );

  // The user's record as the server has it now (facility, rights, name); kept for the next offline start.
  useEffect(() => {
    if (status !== "signed-in") return;
    let cancelled = false;
    client.auth.me
      .query()
      .then((me) => {
        if (!cancelled) void updateUser(me);
      })
      .catch(() => undefined);
    return () => {
      cancelled = true;
    };
  }, [status, client, updateUser]);

  useEffect(() => NetInfo.addEventListener((net) => setOnline(net.isConnected !== false)), []);

  const readSeq = useRef(0);
  useEffect(() => {
    setLocal(null);
    setState(initialState);
    if (!engine) return;
    let previous = engine.getState();
    const refreshLocal = () => {
      // Reads may finish out of order; only the latest one is shown.
      const seq = ++readSeq.current;
      void engine.localState().then((next) => {
        if (seq === readSeq.current) setLocal(next);
      });
    };
    const unsubscribe = engine.subscribe((next) => {
      setState(next);
      refreshLocal();
      // A push that went through: the next pull brings the server's entries for it.
      if (previous.syncing && !next.syncing && next.lastError === null) void engine.pull();
      previous = next;
    });
    void engine.start().then(() => engine.pull());
    const timer = setInterval(() => void engine.pull(), PULL_EVERY_MS);
    const appState = AppState.addEventListener("change", (now) => {
      if (now === "active") {
        void engine.flush();
        void engine.pull();
      }
    });
    return () => {
      unsubscribe();
      clearInterval(timer);
      appState.remove();
      engine.stop();
    };
  }, [engine]);

  // Back online: send at once rather than at the end of a long backoff.
  useEffect(() => {
    if (!engine || !online) return;
    void engine.reconnected();
    void engine.pull();
  }, [engine, online]);

  // The server no longer takes the token: sign in again. The queue stays on the phone under the
  // user's id and goes on once the same user is back.
  useEffect(() => {
    if (state.lastError?.reason === "auth.not_signed_in") void endSession();
  }, [state.lastError, endSession]);

  const value = useMemo(() => ({ engine, state, local, online }), [engine, state, local, online]);
  return <SyncContext.Provider value={value}>{children}</SyncContext.Provider>;
}

export function useSync(): SyncContextValue {
  const value = useContext(SyncContext);
  if (!value) throw new Error("useSync must be used inside <SyncProvider>.");
  return value;
}

/**
 * Queues an action for the facility: checked with the server's rules against what the phone
 * shows, stored on the device, sent when it can be. Rejects with `LocalRejection` when the rules
 * refuse it, so the form shows why at once.
 */
export function useEnqueue(): (action: SyncAction) => Promise<void> {
  const { engine } = useSync();
  return useCallback(
    async (action: SyncAction) => {
      // Only an install from before the user was kept, still offline since: connecting once loads it.
      if (!engine) throw new LocalRejection("sync.facility_unknown");
      await engine.enqueue(action);
    },
    [engine],
  );
}
