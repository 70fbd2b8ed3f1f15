import type { SQL } from "drizzle-orm";
import { eq, or } from "drizzle-orm";
import type { MySqlColumn } from "drizzle-orm/mysql-core";
import { z } from "zod";

/** A store's side of requests and shipments: what it sent or asked for, what came or was asked of it. */
export const ZDirectionSchema = z.enum(["outgoing", "incoming", "both"]).default("both");
export type Direction = z.infer<typeof ZDirectionSchema>;

/** Rows where the store is on the asked side: `outgoing` matches `from`, `incoming` matches `to`. */
export function directionFilter(
  direction: Direction,
  columns: { from: MySqlColumn; to: MySqlColumn },
  orgUnitId: number,
): SQL | undefined {
  if (direction === "outgoing") return eq(columns.from, orgUnitId);
  if (direction === "incoming") return eq(columns.to, orgUnitId);
  return or(eq(columns.from, orgUnitId), eq(columns.to, orgUnitId));
}
