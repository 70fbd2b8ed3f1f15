import { sensorStates, sensors } from "@rantai/db";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestWorld, createApiTestWorld } from "../testing";

let world: ApiTestWorld;
beforeAll(async () => {
  world = await createApiTestWorld("fridges");
  const now = new Date();
  await world.db.insert(sensorStates).values([
    {
      sensorId: world.fridges.facilityA1.sensorId,
      lastReadingAt: now,
      lastTempCentiC: 463,
      lastBatteryPct: 88,
      lastReceivedAt: now,
    },
    {
      sensorId: world.fridges.facilityB1.sensorId,
      lastReadingAt: new Date(now.getTime() - 2 * 3600_000),
      lastTempCentiC: 912,
      lastReceivedAt: now,
    },
  ]);
});
afterAll(async () => {
  await world?.destroy();
});

describe("coldchain.listFridges", () => {
  it("shows a district officer only their district's fridges, with the latest temperature", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const { items } = await caller.coldchain.listFridges({});
    expect(items.map((fridge) => fridge.facilityId).sort()).toEqual(
      [world.units.facilityA1.id, world.units.facilityA2.id].sort(),
    );
    const a1 = items.find((fridge) => fridge.facilityId === world.units.facilityA1.id);
    expect(a1).toMatchObject({ latest: { tempC: 4.63, batteryPct: 88 }, temperatureState: "ok", stale: false });
    const a2 = items.find((fridge) => fridge.facilityId === world.units.facilityA2.id);
    expect(a2).toMatchObject({ latest: null, temperatureState: "unknown", stale: true });
  });

  it("shows facility staff only their own facility", async () => {
    const caller = await world.callerFor(world.people.facilityStaffB1.id);
    const { items } = await caller.coldchain.listFridges({});
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ facilityId: world.units.facilityB1.id, temperatureState: "warm", stale: true });
  });

  it("pages through a province by equipment id", async () => {
    const caller = await world.callerFor(world.people.provinceOfficer.id);
    const first = await caller.coldchain.listFridges({ limit: 2 });
    expect(first.items).toHaveLength(2);
    expect(first.nextCursor).not.toBeNull();
    const second = await caller.coldchain.listFridges({ limit: 2, cursor: first.nextCursor ?? 0 });
    expect(second.items).toHaveLength(1);
    expect(second.nextCursor).toBeNull();
  });
});

describe("coldchain.listFridges during a sensor swap", () => {
  it("pages over fridges, not sensors: a fridge with two active sensors at a page boundary appears once", async () => {
    // The province's first fridge (lowest equipment id) gets a second active sensor, newer and fresher.
    const swapped = world.fridges.facilityA1;
    const [{ id: newSensorId }] = (await world.db
      .insert(sensors)
      .values({
        deviceId: "TEST-SWAP-NEW",
        equipmentId: swapped.equipmentId,
        credentialHash: "not-a-usable-hash",
        credentialIssuedAt: new Date(),
        expectedIntervalSeconds: 300,
      })
      .$returningId()) as [{ id: number }];
    const now = new Date();
    await world.db
      .insert(sensorStates)
      .values({ sensorId: newSensorId, lastReadingAt: now, lastTempCentiC: 512, lastReceivedAt: now });
    const caller = await world.callerFor(world.people.provinceOfficer.id);
    const all = [world.fridges.facilityA1, world.fridges.facilityA2, world.fridges.facilityB1]
      .map((fridge) => fridge.equipmentId)
      .sort((a, b) => a - b);
    expect(all[0]).toBe(swapped.equipmentId);

    for (const limit of [1, 2, 3]) {
      const pages: { ids: number[]; nextCursor: number | null }[] = [];
      let cursor: number | undefined;
      do {
        const page = await caller.coldchain.listFridges({ limit, cursor });
        pages.push({ ids: page.items.map((fridge) => fridge.equipmentId), nextCursor: page.nextCursor });
        cursor = page.nextCursor ?? undefined;
      } while (cursor !== undefined && pages.length <= all.length);
      const expected = Array.from({ length: Math.ceil(all.length / limit) }, (_, i) => {
        const ids = all.slice(i * limit, (i + 1) * limit);
        return { ids, nextCursor: (i + 1) * limit < all.length ? (ids.at(-1) ?? null) : null };
      });
      expect(pages, `limit ${limit}`).toEqual(expected);
    }

    // The swapped fridge shows its freshest sensor.
    const { items } = await caller.coldchain.listFridges({ limit: 1 });
    expect(items[0]).toMatchObject({
      equipmentId: swapped.equipmentId,
      sensorId: newSensorId,
      deviceId: "TEST-SWAP-NEW",
      latest: { tempC: 5.12 },
    });
  });
});
