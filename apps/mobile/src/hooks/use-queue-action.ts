import { useCallback, useRef, useState } from "react";
import { useRejectionMessage } from "@/i18n/use-rejection-message";
import { useEnqueue } from "@/sync/sync-provider";
import type { SyncAction } from "@/sync/types";

/**
 * Puts a form's action in the phone's queue: checked with the server's rules, stored on the
 * device, sent when it can be. Offline or not, it is saved at once; a refusal is worded for
 * staff. A second tap while the first is being stored queues nothing (each submission carries
 * its own idempotency key, so it would be a second action).
 */
export function useQueueAction() {
  const enqueue = useEnqueue();
  const describeRejection = useRejectionMessage();
  const storing = useRef(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const submit = useCallback(
    async (action: SyncAction): Promise<boolean> => {
      if (storing.current) return false;
      storing.current = true;
      setBusy(true);
      setError(null);
      try {
        await enqueue(action);
        return true;
      } catch (failure) {
        setError(describeRejection(failure));
        return false;
      } finally {
        storing.current = false;
        setBusy(false);
      }
    },
    [enqueue, describeRejection],
  );

  return { submit, busy, error };
}
