import { useState } from "react";
import { useTRPCClient } from "@/lib/trpc";
import { forgetDevicePhotos } from "@/photos/use-shipment-photos";
import { useSession } from "@/session/session-provider";
import { wipeUserDeviceData } from "@/sync/device-storage";
import { useSync } from "@/sync/sync-provider";

/**
 * Signs out for good: the facility's data and any waiting actions leave the phone (the screen
 * warns first), the server ends the token, and the session ends whatever the server said.
 * (A token the server no longer takes ends the session elsewhere and keeps the data.)
 */
export function useSignOut() {
  // The client itself, not a query-cache mutation: offline, the cache would hold the call until
  // the connection returns, and the phone would stay signed in.
  const client = useTRPCClient();
  const { endSession, user } = useSession();
  const { engine } = useSync();
  const [running, setRunning] = useState(false);
  const signOut = async () => {
    if (running) return;
    setRunning(true);
    try {
      await engine?.wipe();
      if (user) await wipeUserDeviceData(user.id);
      await forgetDevicePhotos();
      // The local session ends even if the server is unreachable, so a shared phone can always
      // be handed over; the token then lapses at its expiry.
      await client.auth.signOutMobile.mutate().catch(() => undefined);
    } finally {
      await endSession();
    }
  };
  return { signOut, isPending: running };
}
