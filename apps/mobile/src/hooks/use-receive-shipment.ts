import type { RouterInputs } from "@rantai/api";
import { randomUuid } from "@rantai/ui/uuid";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { isKeySpent } from "@/lib/error-reason";
import { useTRPC } from "@/lib/trpc";

type ReceiveInput = RouterInputs["distribution"]["receiveShipment"];
/** What the form reports; the hook adds the idempotency key. */
export type ReceiptReport = Omit<ReceiveInput, "idempotencyKey">;

/**
 * Receives a shipment at most once, however often it is sent: as for usage, the key is made on
 * the first submit and kept until the server confirms, so a double tap or a retry after a lost
 * answer resends the same key and the server answers with the first receipt. (The server also
 * refuses a second receipt of one shipment; the key makes a retry succeed instead of fail.)
 */
export function useReceiveShipment(onReceived: (report: ReceiptReport) => void) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const key = useRef<string | null>(null);
  const inFlight = useRef(false);
  const mutation = useMutation(
    trpc.distribution.receiveShipment.mutationOptions({
      onSettled: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.distribution.pathKey() });
        await queryClient.invalidateQueries({ queryKey: trpc.stock.pathKey() });
      },
    }),
  );
  const submit = (report: ReceiptReport) => {
    if (inFlight.current) return;
    inFlight.current = true;
    key.current ??= randomUuid();
    mutation.mutate(
      { ...report, idempotencyKey: key.current },
      {
        onSuccess: () => {
          key.current = null;
          onReceived(report);
        },
        onError: (error) => {
          if (isKeySpent(error)) key.current = null;
        },
        onSettled: () => {
          inFlight.current = false;
        },
      },
    );
  };
  return { submit, isPending: mutation.isPending, error: mutation.error };
}
