/**
 * Keyset pages, as every list procedure returns them: the query fetches `limit + 1` rows in
 * cursor order; the extra row only says that another page follows, and the last row kept
 * gives the cursor to ask for it.
 */
export function keysetPage<T>(
  rows: readonly T[],
  limit: number,
  cursorOf: (row: T) => number,
): { items: T[]; nextCursor: number | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}
