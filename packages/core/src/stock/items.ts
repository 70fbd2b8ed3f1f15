import { type Executor, items } from "@rantai/db";
import { and, asc, eq, gt } from "drizzle-orm";
import { z } from "zod";
import { keysetPage } from "../kernel/pagination";
import { ZLimitSchema } from "../kernel/schemas";

export const ZListItemsSchema = z.strictObject({
  limit: ZLimitSchema,
  /** The last item id of the previous page. */
  cursor: z.number().int().nonnegative().optional(),
});
export type TListItems = z.infer<typeof ZListItemsSchema>;

/** The national item catalogue (reference data, the same for every store). */
export async function findItems(db: Executor, input: TListItems) {
  const rows = await db
    .select({
      id: items.id,
      code: items.code,
      name: items.name,
      kind: items.kind,
      dosesPerVial: items.dosesPerVial,
      freezeSensitive: items.freezeSensitive,
      vvmType: items.vvmType,
      openVialPolicy: items.openVialPolicy,
      gtin: items.gtin,
    })
    .from(items)
    .where(and(eq(items.active, true), gt(items.id, input.cursor ?? 0)))
    .orderBy(asc(items.id))
    .limit(input.limit + 1);
  return keysetPage(rows, input.limit, (row) => row.id);
}
