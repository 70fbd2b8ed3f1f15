import { applyReadings, readingRow } from "@rantai/core/testing";
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

describe("coldchain.listFridges with an early warning", () => {
  it("shows the open early warning of a fridge heading for +8 °C, to whom the fridge is shown", async () => {
    const { sensorId, equipmentId } = world.fridges.facilityA2;
    const start = Math.floor((Date.now() - 3 * 3600_000) / 60_000) * 60_000;
    // Steady at +4.5 °C, then a power cut: about 3.6 °C/h, one reading a minute, each flushed on its own.
    const temps = Array.from({ length: 75 }, (_, minute) => (minute < 30 ? 4.5 : 4.5 + (minute - 30) * 0.06));
    for (const [minute, tempC] of temps.entries()) {
      const ts = start + minute * 60_000;
      await applyReadings(world.db, [readingRow(sensorId, ts, tempC + (minute % 3) * 0.02)], new Date(ts + 20_000));
    }
    const officer = await world.callerFor(world.people.districtOfficerA.id);
    const fridge = (await officer.coldchain.listFridges({})).items.find((item) => item.equipmentId === equipmentId);
    expect(fridge?.earlyWarning).toMatchObject({ side: "upper", limitC: 8 });
    const breachAt = fridge?.earlyWarning?.predictedBreachAt.getTime() ?? 0;
    const last = start + 74 * 60_000;
    // 7.14 °C at the last reading, 3.6 °C/h: about 14 minutes to go.
    expect(breachAt - last).toBeGreaterThan(8 * 60_000);
    expect(breachAt - last).toBeLessThan(25 * 60_000);

    const otherDistrict = await world.callerFor(world.people.facilityStaffB1.id);
    const seen = (await otherDistrict.coldchain.listFridges({})).items;
    expect(seen.map((item) => item.equipmentId)).not.toContain(equipmentId);
    expect(seen.every((item) => item.earlyWarning === null)).toBe(true);
  });
});
