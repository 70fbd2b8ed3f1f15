import type { TSyncAction } from "@rantai/core/sync";
import { newKey } from "../stock/test-fixtures";

/**
 * A phone's sync client for tests: its id, and its actions numbered 1, 2, 3… as the phone's queue
 * numbers them. `push` numbers new actions after the previous ones; a batch kept and pushed again
 * is a resend.
 */
export function phoneClient(orgUnitId: number) {
  const client = { clientId: newKey(), platform: "android" as const };
  let next = 1;
  return {
    client,
    push: (actions: TSyncAction[]) => ({
      orgUnitId,
      client,
      actions: actions.map((action) => ({ ...action, mutationId: next++ })),
    }),
    /** A push of actions numbered from `first` on, whatever was sent before (a resend, a gap, a reused number). */
    from: (first: number, actions: TSyncAction[]) => ({
      orgUnitId,
      client,
      actions: actions.map((action, index) => ({ ...action, mutationId: first + index })),
    }),
  };
}
