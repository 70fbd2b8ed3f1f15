import type { AppRouter } from "@rantai/api";
import type { TRPCClient } from "@trpc/client";
import { useCallback, useEffect, useState } from "react";
import { AppState, Platform } from "react-native";
import { config } from "@/config";
import { useTRPCClient } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";
import { systemClock } from "../sync/types";
import { openPhotoDeviceStore } from "./device-store";
import { clearPhotoDeviceStore, PhotoNotKept, PhotoOutbox } from "./outbox";
import { createPhotoTransport } from "./transport";
import type { PhotoEntry } from "./types";

/** One outbox for the app, whichever screen shows it, so two screens never send the same photo. */
let shared: { outbox: PhotoOutbox; listeners: Set<(entries: readonly PhotoEntry[]) => void> } | null = null;

function sharedOutbox(client: TRPCClient<AppRouter>) {
  if (!shared) {
    const listeners = new Set<(entries: readonly PhotoEntry[]) => void>();
    const outbox = new PhotoOutbox({
      ...openPhotoDeviceStore(),
      transport: createPhotoTransport(client, config.apiUrl),
      clock: systemClock,
      onChange: (entries) => {
        for (const listener of listeners) listener(entries);
      },
    });
    shared = { outbox, listeners };
  }
  return shared;
}

/**
 * Sign-out: the photos still waiting and their bytes leave the phone with the session, so the
 * next person to sign in neither sees nor sends them.
 */
export async function forgetDevicePhotos(): Promise<void> {
  const current = shared;
  shared = null;
  if (current) {
    current.outbox.stop();
    await current.outbox.clear();
    return;
  }
  await clearPhotoDeviceStore(openPhotoDeviceStore());
}

/** Photos sent to the server since the screen opened, by line (null: the whole receipt). */
type SentCounts = ReadonlyMap<number | null, number>;

/**
 * The photo outbox as a screen uses it: the waiting and refused photos of one shipment, the
 * ones uploaded meanwhile, and `add` for a picked photo. Sending resumes when the connection
 * or the app comes back; signing out wipes them from the phone (`forgetDevicePhotos`).
 */
export function useShipmentPhotos(shipmentId: number | null) {
  const client = useTRPCClient();
  const { status } = useSession();
  const [entries, setEntries] = useState<readonly PhotoEntry[]>([]);
  const [sent, setSent] = useState<SentCounts>(new Map());
  const [notKept, setNotKept] = useState<{ shipmentLineId: number | null; reason: PhotoNotKept["reason"] } | null>(
    null,
  );

  useEffect(() => {
    if (status !== "signed-in") return;
    const { outbox, listeners } = sharedOutbox(client);
    let shown: readonly PhotoEntry[] = [];
    const listener = (next: readonly PhotoEntry[]) => {
      const left = new Set(next.map((entry) => entry.id));
      const uploaded = shown.filter((entry) => entry.state === "waiting" && !left.has(entry.id));
      if (uploaded.length > 0) {
        setSent((counts) => {
          const updated = new Map(counts);
          for (const entry of uploaded) updated.set(entry.shipmentLineId, (updated.get(entry.shipmentLineId) ?? 0) + 1);
          return updated;
        });
      }
      shown = next;
      setEntries(next);
    };
    listeners.add(listener);
    void outbox.list().then(listener);
    void outbox.flush();
    const resume = () => void outbox.flush({ now: true });
    if (Platform.OS === "web") {
      window.addEventListener("online", resume);
      return () => {
        listeners.delete(listener);
        window.removeEventListener("online", resume);
      };
    }
    const subscription = AppState.addEventListener("change", (state) => {
      if (state === "active") resume();
    });
    return () => {
      listeners.delete(listener);
      subscription.remove();
    };
  }, [client, status]);

  const add = useCallback(
    async (shipmentLineId: number | null, photo: { bytes: Uint8Array<ArrayBuffer>; contentType: string }) => {
      if (shipmentId === null) return;
      setNotKept(null);
      try {
        await sharedOutbox(client).outbox.add({ shipmentId, shipmentLineId, ...photo });
      } catch (error) {
        if (error instanceof PhotoNotKept) setNotKept({ shipmentLineId, reason: error.reason });
        else throw error;
      }
    },
    [client, shipmentId],
  );
  const dismiss = useCallback((id: string) => sharedOutbox(client).outbox.dismiss(id), [client]);

  const ofShipment = entries.filter((entry) => entry.shipmentId === shipmentId);
  return {
    add,
    dismiss,
    /** The photos of one line (null: the whole receipt) still on the phone, and how many were uploaded. */
    forLine: (shipmentLineId: number | null) => ({
      waiting: ofShipment.filter((entry) => entry.shipmentLineId === shipmentLineId && entry.state === "waiting"),
      rejected: ofShipment.filter((entry) => entry.shipmentLineId === shipmentLineId && entry.state === "rejected"),
      sent: sent.get(shipmentLineId) ?? 0,
      /** Why the last photo picked for this line was not kept, if it was not. */
      notKept: notKept?.shipmentLineId === shipmentLineId ? notKept.reason : null,
    }),
  };
}
export type ShipmentPhotos = ReturnType<typeof useShipmentPhotos>;
