import type { StockContext } from "./context";
import type { IdempotentCall } from "./idempotency";

/** The idempotency record of a mutation: its key, bound to the procedure and the user, over the rest of the input. */
export function idempotentCall<T extends { idempotencyKey: string }>(
  ctx: StockContext,
  procedure: string,
  input: T,
): IdempotentCall {
  const { idempotencyKey, ...payload } = input;
  return { key: idempotencyKey, procedure, userId: ctx.actor.userId, payload };
}

/** When a movement happened: the client's time when it sent one (offline phones), else now. */
export function occurredAtOf(input: { occurredAt?: Date | undefined }): Date {
  return input.occurredAt ?? new Date();
}
