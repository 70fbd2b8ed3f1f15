"use client";

import { useCallback, useState } from "react";

/**
 * One idempotency key per submission: the same key however often the form is sent (a double
 * click, a retry after a timeout), so the server posts it once; a fresh key once it succeeded.
 */
export function useIdempotencyKey(): [string, () => void] {
  const [key, setKey] = useState(() => crypto.randomUUID());
  const renew = useCallback(() => setKey(crypto.randomUUID()), []);
  return [key, renew];
}
