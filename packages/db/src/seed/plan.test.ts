import { describe, expect, it } from "vitest";
import { isoDate, planBatches } from "./batches";
import { demoDeviceSecret, planEquipment } from "./coldchain";
import { itemSpecs } from "./item-catalog";
import type { SeededItem } from "./items";
import { buildOrgUnitSpecs } from "./org-units";
import { type PlanLot, type PlanStore, planStoreEntries, storeScales } from "./stock-plan";

const now = new Date("2026-03-02T05:17:00Z");
const seededItems: SeededItem[] = itemSpecs.map((spec, index) => ({ ...spec, id: index + 1 }));

describe("org unit specs", () => {
  it("are DI Yogyakarta complete under the national store, parents first", async () => {
    const specs = await buildOrgUnitSpecs();
    const count = (level: string) => specs.filter((spec) => spec.level === level).length;
    expect([count("national"), count("province"), count("district"), count("facility")]).toEqual([1, 1, 5, 78]);
    const seen = new Set<string>();
    for (const spec of specs) {
      if (spec.parentCode !== null) expect(seen.has(spec.parentCode)).toBe(true);
      seen.add(spec.code);
    }
    expect(seen.size).toBe(specs.length);
    expect(specs).toContainEqual({
      code: "P340407",
      name: "Puskesmas Depok",
      level: "facility",
      parentCode: "34.04",
      facilityType: "puskesmas",
    });
    expect(specs.find((spec) => spec.code === "34.04")?.name).toBe("Kabupaten Sleman");
  });
});

describe("planBatches", () => {
  const lots = planBatches(seededItems, now);

  it("gives vaccines three lots and diluents two, with unique lot numbers", () => {
    for (const item of seededItems) {
      const own = lots.filter((lot) => lot.itemCode === item.code);
      const expected = item.kind === "vaccine" ? 3 : item.kind === "diluent" ? 2 : 0;
      expect(own, item.code).toHaveLength(expected);
      expect(new Set(own.map((lot) => lot.lotNumber)).size).toBe(own.length);
    }
  });

  it("lets exactly one lot per item expire within 60 days and none beyond 20 months", () => {
    const soon = isoDate(new Date(now.getTime() + 60 * 86_400_000));
    const latest = isoDate(new Date(now.getTime() + 610 * 86_400_000));
    for (const item of seededItems.filter((i) => i.kind === "vaccine" || i.kind === "diluent")) {
      const own = lots.filter((lot) => lot.itemCode === item.code);
      expect(own.filter((lot) => lot.expiryDate <= soon)).toHaveLength(1);
      expect(own.every((lot) => lot.expiryDate > isoDate(now) && lot.expiryDate <= latest)).toBe(true);
    }
  });

  it("keeps lot numbers independent of now", () => {
    const later = planBatches(seededItems, new Date("2027-01-01T00:00:00Z"));
    expect(later.map((lot) => lot.lotNumber)).toEqual(lots.map((lot) => lot.lotNumber));
  });
});

describe("planStoreEntries", () => {
  const stores: PlanStore[] = [
    { id: 1, code: "ID", name: "Kementerian Kesehatan RI", level: "national", parentId: null },
    { id: 2, code: "34", name: "Daerah Istimewa Yogyakarta", level: "province", parentId: 1 },
    { id: 3, code: "34.04", name: "Kabupaten Sleman", level: "district", parentId: 2 },
    ...Array.from(
      { length: 12 },
      (_, i): PlanStore => ({
        id: 10 + i,
        code: `P3404${String(i + 1).padStart(2, "0")}`,
        name: `Puskesmas ${i + 1}`,
        level: "facility",
        parentId: 3,
      }),
    ),
  ];
  const lotsByItem = new Map<number, PlanLot[]>();
  planBatches(seededItems, now).forEach((lot, index) => {
    const itemId = seededItems.find((item) => item.code === lot.itemCode)?.id ?? 0;
    lotsByItem.set(itemId, [
      ...(lotsByItem.get(itemId) ?? []),
      { id: 100 + index, itemId, expiryDate: lot.expiryDate },
    ]);
  });
  const plan = (at: Date) => {
    const scales = storeScales(stores);
    return stores.map((store) =>
      planStoreEntries(
        store,
        stores.find((s) => s.id === store.parentId),
        scales.get(store.id) ?? 1,
        seededItems,
        lotsByItem,
        at,
      ),
    );
  };

  it("never takes a store × lot balance below zero, in order", () => {
    for (const entries of plan(now)) {
      const balances = new Map<number, number>();
      for (const entry of entries) {
        const next = (balances.get(entry.batchId) ?? 0) + entry.quantity;
        expect(next).toBeGreaterThanOrEqual(0);
        balances.set(entry.batchId, next);
      }
    }
  });

  it("records usage as whole vials with doses administered no more than doses used", () => {
    const usage = plan(now)
      .flat()
      .filter((entry) => entry.movementType === "usage");
    expect(usage.length).toBeGreaterThan(12 * 5);
    for (const entry of usage) {
      const item = seededItems.find((i) => i.id === entry.itemId);
      expect(item?.kind).toBe("vaccine");
      expect(-entry.quantity % (item?.dosesPerVial ?? 1)).toBe(0);
      expect(entry.dosesAdministered).toBeGreaterThan(0);
      expect(entry.dosesAdministered).toBeLessThanOrEqual(-entry.quantity);
      expect(entry.occurredAt.getTime()).toBeLessThan(now.getTime());
      expect(entry.occurredAt.getTime()).toBeGreaterThan(now.getTime() - 8 * 86_400_000);
    }
  });

  it("uses unique idempotency keys per lot and the same quantities whatever now is", () => {
    const entries = plan(now).flat();
    expect(new Set(entries.map((e) => `${e.idempotencyKey}|${e.batchId}`)).size).toBe(entries.length);
    const later = plan(new Date("2026-09-09T09:09:00Z")).flat();
    const shape = (list: typeof entries) =>
      list.map((e) => [e.idempotencyKey, e.batchId, e.quantity, e.dosesAdministered]);
    expect(shape(later)).toEqual(shape(entries));
  });

  it("makes higher stores hold more than the puskesmas below them", () => {
    const receivedDoses = (storeIndex: number, itemCode: string) => {
      const itemId = seededItems.find((item) => item.code === itemCode)?.id;
      return (plan(now)[storeIndex] ?? [])
        .filter((e) => e.movementType === "receipt" && e.itemId === itemId)
        .reduce((sum, e) => sum + e.quantity, 0);
    };
    expect(receivedDoses(0, "BCG")).toBeGreaterThan(receivedDoses(2, "BCG"));
    expect(receivedDoses(2, "BCG")).toBeGreaterThan(receivedDoses(3, "BCG"));
  });
});

describe("cold-chain plan", () => {
  it("derives a stable 32-hex demo secret per device", () => {
    expect(demoDeviceSecret("RTS-P340401-1")).toMatch(/^[0-9a-f]{32}$/);
    expect(demoDeviceSecret("RTS-P340401-1")).toBe(demoDeviceSecret("RTS-P340401-1"));
    expect(demoDeviceSecret("RTS-P340401-1")).not.toBe(demoDeviceSecret("RTS-P340401-2"));
  });

  it("gives every puskesmas a fridge, every third a solar one, every district an ILR", async () => {
    const units = (await buildOrgUnitSpecs()).map((spec, index) => ({
      id: index + 1,
      code: spec.code,
      name: spec.name,
      level: spec.level,
      parentId: null,
      path: "/",
      depth: 0,
    }));
    const plan = planEquipment(units);
    expect(plan.filter((e) => e.modelKey === "vestfrost")).toHaveLength(78);
    expect(plan.filter((e) => e.modelKey === "sdd")).toHaveLength(26);
    expect(plan.filter((e) => e.modelKey === "ilr")).toHaveLength(5);
    expect(new Set(plan.map((e) => e.serialNumber)).size).toBe(plan.length);
    expect(new Set(plan.map((e) => e.deviceId)).size).toBe(plan.length);
    expect(plan.map((e) => e.deviceId)).toContain("RTS-P340407-1");
    expect(plan.map((e) => e.deviceId)).toContain("RTS-P340215-1");
  });
});
