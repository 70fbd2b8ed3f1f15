import { describe, expect, it } from "vitest";
import { isoDate, planBatches } from "./batches";
import { demoDeviceSecret, planEquipment } from "./coldchain";
import { itemSpecs } from "./item-catalog";
import type { SeededItem } from "./items";
import { buildOrgUnitSpecs } from "./org-units";
import { type PlanLot, type PlanStore, planIssues, planStoreEntries, storeScales } from "./stock-plan";

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

describe("planIssues", () => {
  const at = (daysAgo: number) => new Date(Date.UTC(2026, 2, 2) - daysAgo * 86_400_000);
  const store = (id: number, level: PlanStore["level"], parentId: number | null): PlanStore => ({
    id,
    code: `S${id}`,
    name: `Store ${id}`,
    level,
    parentId,
  });
  const receipt = (code: string, batchId: number, quantity: number, daysAgo: number, from: number | null) => ({
    idempotencyKey: `seed:receipt:${code}:${batchId}`,
    itemId: 1,
    batchId,
    movementType: "receipt" as const,
    quantity,
    dosesAdministered: null,
    occurredAt: at(daysAgo),
    counterpartyOrgUnitId: from,
    counterpartyName: from === null ? "Bio Farma" : `Store ${from}`,
  });
  const province = store(1, "province", null);
  const district = store(2, "district", 1);
  const facilities = [store(3, "facility", 2), store(4, "facility", 2)];
  const plans = planIssues([
    { store: province, entries: [receipt("S1", 10, 5000, 50, null)] },
    { store: district, entries: [receipt("S2", 10, 1000, 35, 1)] },
    { store: facilities[0] as PlanStore, entries: [receipt("S3", 10, 200, 24, 2)] },
    { store: facilities[1] as PlanStore, entries: [receipt("S4", 10, 300, 24, 2), receipt("S4", 11, 50, 24, 2)] },
  ]);
  const entriesOf = (id: number) => plans.find((plan) => plan.orgUnitId === id)?.entries ?? [];
  const balance = (id: number) => entriesOf(id).reduce((sum, entry) => sum + entry.quantity, 0);

  it("turns a receipt from a seeded parent into a transfer the parent issues", () => {
    expect(entriesOf(3).map((e) => [e.movementType, e.quantity])).toEqual([["transfer_in", 200]]);
    const issues = entriesOf(2).filter((e) => e.movementType === "transfer_out");
    expect(issues.map((e) => [e.counterpartyOrgUnitId, e.batchId, e.quantity])).toEqual([
      [3, 10, -200],
      [4, 10, -300],
      [4, 11, -50],
    ]);
  });

  it("keeps each store's own stock: the parent receives what it issues on top, bottom of the chain first", () => {
    expect(balance(2)).toBe(1000);
    expect(balance(1)).toBe(5000);
    // The district's grown receipt (1000 + 500 of lot 10) is what the province issued of that lot.
    expect(entriesOf(1).find((e) => e.movementType === "transfer_out" && e.batchId === 10)?.quantity).toBe(-1500);
    // Lot 11 was not in the district's own opening stock: it is received whole, before it is issued.
    expect(entriesOf(2)[0]).toMatchObject({ movementType: "transfer_in", batchId: 11, quantity: 50 });
  });

  it("never takes a running balance below zero and keeps keys unique per lot", () => {
    for (const plan of plans) {
      const running = new Map<number, number>();
      for (const entry of plan.entries) {
        running.set(entry.batchId, (running.get(entry.batchId) ?? 0) + entry.quantity);
        expect(running.get(entry.batchId)).toBeGreaterThanOrEqual(0);
      }
    }
    const keys = plans.flatMap((plan) => plan.entries.map((e) => `${e.idempotencyKey}|${e.batchId}`));
    expect(new Set(keys).size).toBe(keys.length);
  });
});
