import type { Transaction } from "@rantai/db";
import { recordChange } from "../kernel/change-log";
import type { DomainContext } from "../kernel/context";
import type { IdempotentCall } from "../kernel/idempotency";
import { type LedgerEntryDraft, type PostedEntry, postLedgerEntries } from "./ledger";
import { movementChange } from "./movement-change";

/** The idempotency record of a mutation: its key, bound to the procedure and the user, over the rest of the input. */
export function idempotentCall<T extends { idempotencyKey: string }>(
  ctx: DomainContext,
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

/** What a submission of movements at one store carries besides its lines. */
interface MovementSubmission {
  orgUnitId: number;
  idempotencyKey: string;
  note?: string | null | undefined;
}

/**
 * A ledger draft for one lot of a submission: the store, author, time, key and note every line
 * shares, plus what the movement itself says (type, signed doses, reason, …).
 */
export function lotMovementDraft(
  ctx: DomainContext,
  input: MovementSubmission,
  lot: { itemId: number; batchId: number },
  occurredAt: Date,
  movement: Omit<LedgerEntryDraft, "orgUnitId" | "itemId" | "batchId" | "idempotencyKey" | "occurredAt" | "userId">,
): LedgerEntryDraft {
  return {
    orgUnitId: input.orgUnitId,
    itemId: lot.itemId,
    batchId: lot.batchId,
    note: input.note ?? null,
    ...movement,
    idempotencyKey: input.idempotencyKey,
    occurredAt,
    userId: ctx.actor.userId,
  };
}

/** Posts a submission's movements and its change-log entry, in the caller's transaction. */
export async function postMovements(
  tx: Transaction,
  ctx: DomainContext,
  action: string,
  input: MovementSubmission,
  drafts: readonly LedgerEntryDraft[],
): Promise<{ entries: PostedEntry[] }> {
  const entries = await postLedgerEntries(tx, drafts);
  await recordChange(tx, ctx, movementChange(action, input.idempotencyKey, input.orgUnitId, entries));
  return { entries };
}
