"use client";

import { randomUuid } from "@rantai/ui/uuid";
import { useCallback, useState } from "react";

/**
 * The idempotency key of one intended change (approve this request, dispatch this shipment):
 * the same key is sent however often the button is pressed or the call retried, so the server
 * applies the change once and replays its answer; a new key is drawn only after it succeeded.
 */
export function useActionKey(): { key: string; renew: () => void } {
  const [key, setKey] = useState(randomUuid);
  const renew = useCallback(() => setKey(randomUuid()), []);
  return { key, renew };
}

/** A lot's expiry day ("2026-12-01") as a moment the console's date formatter shows as that day. */
export function expiryDay(expiryDate: string): Date {
  return new Date(`${expiryDate}T00:00:00+07:00`);
}

/** Reads a whole, non-negative number typed into a doses field; anything else counts as 0. */
export function parseDoses(text: string): number {
  const value = Number.parseInt(text.replace(/\D/g, ""), 10);
  return Number.isFinite(value) ? value : 0;
}
