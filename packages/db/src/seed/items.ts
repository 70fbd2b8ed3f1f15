import { inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { items } from "../schema";
import { type ItemSpec, itemSpecs } from "./item-catalog";

export interface SeededItem extends ItemSpec {
  id: number;
}

/**
 * Upserts the item list by code (existing rows untouched), diluents before the vaccines that
 * point at them, and returns every item with its id.
 */
export async function seedItems(executor: Executor, specs: readonly ItemSpec[] = itemSpecs) {
  const ids = new Map<string, number>();
  const withoutDiluent = specs.filter((spec) => spec.diluentCode === undefined);
  const withDiluent = specs.filter((spec) => spec.diluentCode !== undefined);
  for (const group of [withoutDiluent, withDiluent]) {
    if (group.length === 0) continue;
    const rows = group.map((spec) => {
      const diluentItemId = spec.diluentCode === undefined ? null : ids.get(spec.diluentCode);
      if (diluentItemId === undefined) throw new Error(`${spec.code}: diluent ${spec.diluentCode} not seeded`);
      return {
        code: spec.code,
        name: spec.name,
        kind: spec.kind,
        dosesPerVial: spec.dosesPerVial,
        storageMinC: spec.storageMinC,
        storageMaxC: spec.storageMaxC,
        freezeSensitive: spec.freezeSensitive,
        vvmType: spec.vvmType,
        openVialPolicy: spec.openVialPolicy,
        diluentItemId,
      };
    });
    await executor
      .insert(items)
      .values(rows)
      .onDuplicateKeyUpdate({ set: { id: sql`id`, updatedAt: sql`updated_at` } });
    const read = await executor
      .select({ id: items.id, code: items.code })
      .from(items)
      .where(
        inArray(
          items.code,
          group.map((spec) => spec.code),
        ),
      );
    for (const row of read) ids.set(row.code, row.id);
  }
  return specs.map((spec): SeededItem => {
    const id = ids.get(spec.code);
    if (id === undefined) throw new Error(`item ${spec.code} was not seeded`);
    return { ...spec, id };
  });
}
