import type { RouterInputs } from "@rantai/api";
import { randomUuid } from "@rantai/ui/uuid";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useRef } from "react";
import { useTranslations } from "use-intl";
import { useErrorMessage } from "@/i18n/use-error-message";
import { isEarlierAttemptSaved, isKeySpent } from "@/lib/error-reason";
import { useTRPC } from "@/lib/trpc";

type UsageInput = RouterInputs["stock"]["recordUsage"];
/** What the form decides; the hook adds the idempotency key and the time of the session. */
export type UsageRequest = Omit<UsageInput, "idempotencyKey" | "occurredAt">;

interface Submission {
  idempotencyKey: string;
  occurredAt: Date;
}

/**
 * Records a session's usage at most once, however often it is sent.
 *
 * The idempotency key is made on the first submit and kept until the server confirms, so a
 * double tap, or a retry after the connection dropped (when the first request may or may not
 * have been saved), resends the SAME key and the server applies it once. It is kept even when
 * the staff member corrects the form after a failure: if the lost first attempt was saved, the
 * server then refuses the key as reused instead of recording the session a second time.
 *
 * The key lives in a ref, not useState: two taps within one frame would both read the state
 * before either update rendered, and each would make its own key.
 */
export function useRecordUsage(onRecorded: (request: UsageRequest) => void) {
  const trpc = useTRPC();
  const t = useTranslations("mobile.errors");
  const describeError = useErrorMessage();
  const queryClient = useQueryClient();
  const submission = useRef<Submission | null>(null);
  const inFlight = useRef(false);

  const mutation = useMutation(
    trpc.stock.recordUsage.mutationOptions({
      // Refetched after failures too: a request whose answer was lost may still have been saved.
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.stock.pathKey() }),
    }),
  );

  const submit = (request: UsageRequest) => {
    // A second tap while the first request is on its way sends nothing; were it sent, it would
    // carry the same key and be answered with the first result.
    if (inFlight.current) return;
    inFlight.current = true;
    submission.current ??= { idempotencyKey: randomUuid(), occurredAt: new Date() };
    mutation.mutate(
      { ...request, ...submission.current },
      {
        onSuccess: () => {
          submission.current = null;
          onRecorded(request);
        },
        onError: (error) => {
          // The key is spent on an earlier version of this form; the next change needs a new one.
          if (isKeySpent(error)) submission.current = null;
        },
        onSettled: () => {
          inFlight.current = false;
        },
      },
    );
  };

  return {
    submit,
    isPending: mutation.isPending,
    errorMessage: !mutation.error
      ? null
      : isEarlierAttemptSaved(mutation.error)
        ? t("earlierAttemptSaved")
        : describeError(mutation.error),
  };
}
