import { useRef, useState } from "react";
import { useErrorMessage } from "@/i18n/use-error-message";
import { useRefusalMessage } from "@/i18n/use-refusal-message";
import { LocalRejection } from "@/sync/optimistic";
import { useEnqueue } from "@/sync/sync-provider";
import type { SyncAction } from "@/sync/types";

/**
 * Saves a form's action on the phone: checked with the server's rules, stored durably, sent when
 * it can be. Resolves true as soon as it is stored (the form returns at once, online or not);
 * false with the refusal in words when the rules or the device refuse it. A second tap while one
 * save runs does nothing. Each save carries its own idempotency key, made by the caller: a refused
 * save was never stored, so the corrected one is a new action.
 */
export function useSaveAction() {
  const enqueue = useEnqueue();
  const describeRefusal = useRefusalMessage();
  const describeError = useErrorMessage();
  const inFlight = useRef(false);
  const [isPending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const save = async (action: SyncAction): Promise<boolean> => {
    if (inFlight.current) return false;
    inFlight.current = true;
    setPending(true);
    setError(null);
    try {
      await enqueue(action);
      return true;
    } catch (failure) {
      setError(failure instanceof LocalRejection ? describeRefusal(failure.reason) : describeError(failure));
      return false;
    } finally {
      inFlight.current = false;
      setPending(false);
    }
  };
  return { save, isPending, error };
}
