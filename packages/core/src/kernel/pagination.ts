import { type SQL, sql } from "drizzle-orm";
import { z } from "zod";

/**
 * Keyset pages, as every list procedure returns them: the query fetches `limit + 1` rows in
 * cursor order; the extra row only says that another page follows, and the last row kept
 * gives the cursor to ask for it. The cursor is an id for lists in id order, or a `SortCursor`
 * for lists sorted by another value.
 */
export function keysetPage<T, Cursor = number>(
  rows: readonly T[],
  limit: number,
  cursorOf: (row: T) => Cursor,
): { items: T[]; nextCursor: Cursor | null } {
  const items = rows.slice(0, limit);
  const last = items.at(-1);
  return { items, nextCursor: rows.length > limit && last !== undefined ? cursorOf(last) : null };
}

/**
 * Where a list sorted by a value stopped: the last row's sort value and its id, the tie-breaker
 * that makes the order total (many facilities share a status), so no row is skipped or repeated.
 */
export const ZSortCursorSchema = z.strictObject({
  key: z.union([z.number().int(), z.string().max(255)]),
  id: z.number().int().nonnegative(),
});
export type SortCursor = z.infer<typeof ZSortCursorSchema>;

export type SortDirection = "asc" | "desc";

/**
 * The rows after a sort cursor, for a query ordered by (`key`, `id`) in `direction`
 * (see `sortOrder`): `key` beyond the cursor's, or equal to it and `id` beyond.
 */
export function afterSortCursor(key: SQL, id: SQL, cursor: SortCursor, direction: SortDirection): SQL {
  return direction === "asc"
    ? sql`(${key} > ${cursor.key} OR (${key} = ${cursor.key} AND ${id} > ${cursor.id}))`
    : sql`(${key} < ${cursor.key} OR (${key} = ${cursor.key} AND ${id} < ${cursor.id}))`;
}

/** The ORDER BY of a list paged with `afterSortCursor`. */
export function sortOrder(key: SQL, id: SQL, direction: SortDirection): SQL[] {
  return direction === "asc" ? [sql`${key} ASC`, sql`${id} ASC`] : [sql`${key} DESC`, sql`${id} DESC`];
}
