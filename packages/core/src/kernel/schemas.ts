import { z } from "zod";

/**
 * Input pieces every stock and distribution procedure shares. All objects are strict: an unknown
 * field (`quantityOnHand`, `userId`…) is a BAD_REQUEST, never silently ignored.
 */

/** A client-made UUID, unique per mutation forever, so a phone can resend safely after days offline. */
export const ZIdempotencyKeySchema = z.uuid({ error: "idempotencyKey must be a UUID made by the client" });

export const ZIdSchema = z.number().int().positive();

/** Largest dose count a single line may carry; well above a national store's holding of one lot. */
export const MAX_LINE_DOSES = 10_000_000;

const CLOCK_SKEW_MS = 5 * 60_000;
const MAX_BACKDATE_MS = 366 * 86_400_000;

/**
 * When a movement happened, as the phone or console recorded it (it may sync days later).
 * Not in the future beyond clock skew, and not more than a year back.
 */
export const ZOccurredAtSchema = z
  .date()
  .refine((date) => date.getTime() <= Date.now() + CLOCK_SKEW_MS, { error: "occurredAt cannot be in the future" })
  .refine((date) => date.getTime() >= Date.now() - MAX_BACKDATE_MS, {
    error: "occurredAt cannot be more than a year ago",
  });

export const ZNoteSchema = z.string().trim().min(1).max(500);

/** A page size for lists: at most 100 rows per call. */
export const ZLimitSchema = z.number().int().min(1).max(100).default(50);

/** For `.refine` on line arrays: true when no two lines share a field's value (a lot appears once per movement). */
export function hasDistinct<K extends string>(field: K) {
  return (lines: readonly Record<K, number>[]) => new Set(lines.map((line) => line[field])).size === lines.length;
}
