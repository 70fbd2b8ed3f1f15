import type { AlarmEventPayload } from "@rantai/core/coldchain/alarms";
import {
  type AlarmReading,
  checkSilentSensors,
  defaultAlarmRules,
  detectEpisodes,
  LATE_DETECTION_MS,
} from "@rantai/core/coldchain/alarms";
import { type Clock, createManualClock } from "@rantai/core/kernel";
import { applyReadings, readingRow } from "@rantai/core/testing";
import {
  type AlarmType,
  alarmRules,
  alarms,
  alarmTrackers,
  batches,
  equipment,
  items,
  notificationOutbox,
  type OrgUnit,
  readingRollupsDaily,
  readingRollupsHourly,
  readings,
  stockBalances,
} from "@rantai/db";
import { createFridgeWithSensor } from "@rantai/db/factories";
import { and, asc, eq, inArray, ne, sql } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestWorld, createApiTestWorld } from "../../testing";

const MIN = 60_000;
const HOUR = 60 * MIN;
const T0 = Date.UTC(2025, 2, 1, 0, 0, 0);
/** A clock stopped at one instant. */
const clockAt = (at: Date | number): Clock => ({ now: () => new Date(at) });

let world: ApiTestWorld;
let db: ApiTestWorld["db"];

beforeAll(async () => {
  world = await createApiTestWorld("alarms");
  db = world.db;
  await stockUp(world.units.facilityA1);
});
afterAll(async () => {
  await world?.destroy();
});

/** Four items in stock at a facility: OPV (VVM2), pentavalent (freeze-sensitive), BCG, a diluent. */
async function stockUp(facility: OrgUnit) {
  const specs = [
    { code: "BOPV", kind: "vaccine", freezeSensitive: false, vvmType: "VVM2", doses: 400 },
    { code: "DPT-HB-HIB", kind: "vaccine", freezeSensitive: true, vvmType: "VVM14", doses: 250 },
    { code: "BCG", kind: "vaccine", freezeSensitive: false, vvmType: "VVM30", doses: 120 },
    { code: "DIL-BCG", kind: "diluent", freezeSensitive: true, vvmType: "none", doses: 120 },
  ] as const;
  for (const spec of specs) {
    const [item] = await db.insert(items).values({
      code: spec.code,
      name: spec.code,
      kind: spec.kind,
      dosesPerVial: 10,
      storageMinC: 2,
      storageMaxC: 8,
      freezeSensitive: spec.freezeSensitive,
      vvmType: spec.vvmType,
      openVialPolicy: "not_applicable",
    });
    const [batch] = await db.insert(batches).values({
      itemId: item.insertId,
      lotNumber: `${spec.code}-LOT1`,
      expiryDate: "2027-06-30",
      manufacturer: "Bio Farma",
    });
    await db
      .insert(stockBalances)
      .values({ orgUnitId: facility.id, batchId: batch.insertId, itemId: item.insertId, quantity: spec.doses });
  }
}

async function newFridge(facility: OrgUnit = world.units.facilityA1) {
  const fridge = await createFridgeWithSensor(db, { facility });
  return { ...fridge, facilityId: facility.id };
}

const alarmsOf = (sensorId: number, type?: AlarmType) =>
  db
    .select()
    .from(alarms)
    .where(and(eq(alarms.sensorId, sensorId), type ? eq(alarms.type, type) : undefined))
    .orderBy(asc(alarms.id));

const eventsOf = async (alarmIds: readonly number[]) =>
  alarmIds.length === 0
    ? []
    : db
        .select()
        .from(notificationOutbox)
        .where(
          and(
            eq(notificationOutbox.aggregateType, "alarm"),
            inArray(
              notificationOutbox.aggregateId,
              alarmIds.map((id) => String(id)),
            ),
          ),
        )
        .orderBy(asc(notificationOutbox.id));

/** The alarmed runs the pure core finds in a set of readings, as alarm columns. */
function expectedAlarms(series: readonly AlarmReading[], type: "heat" | "freeze" | "excursion") {
  return detectEpisodes(series, defaultAlarmRules[type])
    .episodes.filter((episode) => episode.alarmAt !== null)
    .map((episode) => ({
      startedAt: new Date(episode.startedAt),
      lastOutOfRangeAt: new Date(episode.lastOutOfRangeAt),
      endedAt: episode.endedAt === null ? null : new Date(episode.endedAt),
      durationSeconds: Math.floor(episode.durationMs / 1000),
      peakCentiC: episode.peak,
      minCentiC: episode.min,
      heatExposureCentiDegreeHours: episode.exposure,
    }));
}

const runOf = (alarm: typeof alarms.$inferSelect) => ({
  startedAt: alarm.startedAt,
  lastOutOfRangeAt: alarm.lastOutOfRangeAt,
  endedAt: alarm.endedAt,
  durationSeconds: alarm.durationSeconds,
  peakCentiC: alarm.peakCentiC,
  minCentiC: alarm.minCentiC,
  heatExposureCentiDegreeHours: alarm.heatExposureCentiDegreeHours,
});

/** Readings every 10 minutes from `start`, one per temperature (°C). */
function series(sensorId: number, start: number, temps: readonly number[], stepMs = 10 * MIN) {
  return temps.map((tempC, i) => readingRow(sensorId, start + i * stepMs, tempC));
}
const asAlarmReadings = (rows: ReturnType<typeof series>): AlarmReading[] =>
  rows.map((row) => ({ ts: row.ts.getTime(), tempCentiC: row.tempCentiC, batteryPct: row.batteryPct }));
const repeat = (value: number, n: number) => Array.from({ length: n }, () => value);

/** A seeded Fisher–Yates shuffle (fast-check shrinks the seed). */
function shuffle<T>(list: readonly T[], seed: number): T[] {
  const out = [...list];
  let x = seed | 0 || 1;
  for (let i = out.length - 1; i > 0; i -= 1) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = Math.abs(x) % (i + 1);
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** Applies readings one flush each, as a sensor on line would, each "received" 30 s after its ts. */
async function live(rows: ReturnType<typeof series>) {
  const outcomes = [];
  for (const row of rows) outcomes.push(await applyReadings(db, [row], new Date(row.ts.getTime() + 30_000)));
  return outcomes;
}

describe("HEAT from live readings", () => {
  it("fires at exactly 10 h device time, resolves on return to range, with notices and stock at risk", async () => {
    const fridge = await newFridge();
    // 61 readings 10 min apart above +8 °C (0 … 10 h), peaking at +9.6 °C, then one back at +5 °C.
    const temps = [...repeat(8.5, 30), 9.6, ...repeat(8.5, 30), 5];
    const rows = series(fridge.sensorId, T0, temps);
    const outcomes = await live(rows);

    const heatOpenedAt = outcomes.findIndex((outcome) => outcome.opened.some((opened) => opened.type === "heat"));
    expect(heatOpenedAt).toBe(60);
    expect(outcomes[60]?.opened).toContainEqual({
      type: "heat",
      alarmAt: new Date(T0 + 10 * HOUR),
      detectedLate: false,
    });

    const [heat, ...moreHeat] = await alarmsOf(fridge.sensorId, "heat");
    expect(moreHeat).toEqual([]);
    expect(heat).toMatchObject({
      status: "resolved",
      liveKey: null,
      startedAt: new Date(T0),
      lastOutOfRangeAt: new Date(T0 + 10 * HOUR),
      endedAt: new Date(T0 + 10 * HOUR + 10 * MIN),
      durationSeconds: 36_000,
      peakCentiC: 960,
      minCentiC: 850,
      // The rule was met at start + 10 h of device time; the flush of that reading ran 30 s later.
      openedAt: new Date(T0 + 10 * HOUR),
      detectedAt: new Date(T0 + 10 * HOUR + 30_000),
      detectedLate: false,
      facilityId: world.units.facilityA1.id,
      equipmentId: fridge.equipmentId,
    });
    expect(heat && runOf(heat)).toEqual(expectedAlarms(asAlarmReadings(rows), "heat")[0]);
    // The excursion warning (outside +2…+8 °C for 60 min) fired after the first hour.
    const [excursion] = await alarmsOf(fridge.sensorId, "excursion");
    expect(excursion).toMatchObject({ startedAt: new Date(T0), status: "resolved" });

    const events = await eventsOf(heat ? [heat.id] : []);
    expect(events.map((event) => event.eventKey)).toEqual([`alarm:${heat?.id}:opened`, `alarm:${heat?.id}:resolved`]);
    const opened = events[0]?.payload as AlarmEventPayload;
    expect(opened).toMatchObject({
      event: "opened",
      type: "heat",
      facility: { id: world.units.facilityA1.id, name: "Puskesmas Depok I" },
      equipment: { id: fridge.equipmentId },
      sensor: { deviceId: fridge.deviceId },
      startedAt: new Date(T0).toISOString(),
      alarmAt: new Date(T0 + 10 * HOUR).toISOString(),
      openedAt: new Date(T0 + 10 * HOUR).toISOString(),
      detectedAt: new Date(T0 + 10 * HOUR + 30_000).toISOString(),
      peak: 9.6,
      unit: "tempC",
    });
    // Heat threatens every vaccine (not the diluent), OPV (VVM2) first.
    expect(opened.stockAtRisk.items.map((item) => item.code)).toEqual(["BOPV", "DPT-HB-HIB", "BCG"]);
    expect(opened.stockAtRisk).toMatchObject({ totalDoses: 770 });
    expect(opened.stockAtRisk.items[0]).toMatchObject({ heatSensitive: true, doses: 400 });
    expect(events[0]?.orgUnitId).toBe(world.units.facilityA1.id);

    const [tracker] = await db
      .select()
      .from(alarmTrackers)
      .where(and(eq(alarmTrackers.sensorId, fridge.sensorId), eq(alarmTrackers.type, "heat")));
    expect(tracker).toMatchObject({ episodeStartedAt: null, alarmId: null });
  });

  it("does not fire at 9 h 50 min, and a 1-minute return to +7.9 °C resets the count", async () => {
    const fridge = await newFridge();
    const first = series(fridge.sensorId, T0, repeat(9, 60)); // 0 … 9 h 50 min
    const back = [readingRow(fridge.sensorId, T0 + 9 * HOUR + 51 * MIN, 7.9)];
    const second = series(fridge.sensorId, T0 + 9 * HOUR + 52 * MIN, repeat(9, 60));
    await live([...first, ...back, ...second]);
    expect(await alarmsOf(fridge.sensorId, "heat")).toEqual([]);
    expect(await alarmsOf(fridge.sensorId, "excursion")).toHaveLength(2);
  });

  it("keeps one live alarm while the run goes on, updating its duration and peak", async () => {
    const fridge = await newFridge();
    await live(series(fridge.sensorId, T0, [...repeat(9, 61), 12.5, 9]));
    const [heat, ...more] = await alarmsOf(fridge.sensorId, "heat");
    expect(more).toEqual([]);
    expect(heat).toMatchObject({
      status: "open",
      liveKey: `${fridge.sensorId}:heat`,
      lastOutOfRangeAt: new Date(T0 + 62 * 10 * MIN),
      durationSeconds: 62 * 600,
      peakCentiC: 1250,
      endedAt: null,
    });
  });
});

describe("late and out-of-order readings (device time)", () => {
  // 12 h: 30 min in range, 10 h 30 min above +8 °C peaking at +11.2 °C, then back in range.
  const temps = [4, 4, 4, ...repeat(9, 30), 11.2, ...repeat(9.5, 32), ...repeat(5, 6)];
  const start = T0 + 2 * 24 * HOUR;
  const flushedAt = new Date(start + 13 * HOUR);

  it("a 12-h buffer flushed late and shuffled gives the same alarm, marked late, with a 'late' notice", async () => {
    const reference = await newFridge();
    const refRows = series(reference.sensorId, start, temps);
    await live(refRows);
    const [expected] = await alarmsOf(reference.sensorId, "heat");
    expect(expected).toMatchObject({ status: "resolved", detectedLate: false });

    // Variant 1: the buffer alone, shuffled (a logger back online after 12 h).
    const buffered = await newFridge();
    const rows = series(buffered.sensorId, start, temps);
    const shuffled = [...rows].sort((a, b) => ((a.ts.getTime() * 7919) % 977) - ((b.ts.getTime() * 7919) % 977));
    await applyReadings(db, shuffled, flushedAt);
    // Variant 2: the current reading first, then the buffer (all older: the recomputation path).
    const recomputed = await newFridge();
    const current = readingRow(recomputed.sensorId, flushedAt.getTime() - MIN, 5);
    await applyReadings(db, [current], flushedAt);
    const outcome = await applyReadings(db, series(recomputed.sensorId, start, temps).reverse(), flushedAt);
    expect(outcome.slowPathSensors).toBe(1);

    for (const fridge of [buffered, recomputed]) {
      const [alarm, ...more] = await alarmsOf(fridge.sensorId, "heat");
      expect(more).toEqual([]);
      expect(alarm && runOf(alarm)).toEqual(expected && runOf(expected));
      expect(alarm).toMatchObject({ status: "resolved", detectedLate: true, liveKey: null });
      // Opened at the same device time as live (start + 10 h); detected when the buffer arrived.
      expect(alarm?.openedAt).toEqual(expected?.openedAt);
      expect(alarm?.openedAt).toEqual(new Date(start + 30 * MIN + 10 * HOUR));
      expect(alarm?.detectedAt).toEqual(flushedAt);
      expect((alarm?.detectedAt?.getTime() ?? 0) - (alarm?.openedAt?.getTime() ?? Infinity)).toBeGreaterThan(
        LATE_DETECTION_MS,
      );
      const events = await eventsOf(alarm ? [alarm.id] : []);
      expect(events.map((event) => event.kind)).toEqual(["alarm.late", "alarm.resolved"]);
      expect(events[0]?.payload).toMatchObject({ detectedLate: true, peak: 11.2 });
    }
  });

  it("splitting, reordering and repeating flushes never changes the stored alarms (restart safety)", async () => {
    const rows = (sensorId: number) =>
      series(sensorId, start, [
        ...temps,
        ...repeat(-1, 8),
        3,
        ...repeat(9, 70),
        7.5,
        ...repeat(1.5, 8),
        // Two 6.5-h runs split by one in-range reading: seen without it, they make a 13-h alarm.
        ...repeat(9, 40),
        7,
        ...repeat(9, 40),
        5,
      ]);
    const reference = asAlarmReadings(rows(0));
    const length = rows(0).length;
    await fc.assert(
      fc.asyncProperty(
        fc.uniqueArray(fc.integer({ min: 1, max: length - 1 }), { minLength: 1, maxLength: 14 }),
        fc.integer(),
        fc.array(fc.nat(), { maxLength: 10 }),
        async (cuts, seed, repeats) => {
          const fridge = await newFridge();
          const all = rows(fridge.sensorId);
          // Cut the series into flushes, apply them in a random order, then repeat some.
          const bounds = [0, ...[...cuts].sort((a, b) => a - b), all.length];
          const flushes = bounds.slice(1).map((end, i) => all.slice(bounds[i], end));
          for (const flush of shuffle(flushes, seed)) await applyReadings(db, flush, flushedAt);
          for (const i of repeats) await applyReadings(db, flushes[i % flushes.length] ?? [], flushedAt);

          for (const type of ["heat", "freeze", "excursion"] as const) {
            const kept = (await alarmsOf(fridge.sensorId, type))
              .filter((alarm) => alarm.status !== "retracted")
              .sort((a, b) => a.startedAt.getTime() - b.startedAt.getTime());
            expect(kept.map(runOf)).toEqual(expectedAlarms(reference, type));
            // Each kept alarm was announced once; retracted ones were announced as retracted.
            for (const alarm of kept) {
              const announced = (await eventsOf([alarm.id])).filter((event) => /opened|late/.test(event.kind));
              expect(announced).toHaveLength(1);
            }
            for (const alarm of await alarmsOf(fridge.sensorId, type)) {
              if (alarm.status !== "retracted") continue;
              const kinds = (await eventsOf([alarm.id])).map((event) => event.kind);
              expect(kinds).toContain("alarm.retracted");
            }
          }
        },
      ),
      { numRuns: 25, endOnFailure: true },
    );
  }, 120_000);

  it("a late in-range reading inside an alarm's run retracts it when no part lasts 10 h", async () => {
    const fridge = await newFridge();
    await live(series(fridge.sensorId, start, [...repeat(9, 64), 5])); // 10 h 30 min, resolved
    const [before] = await alarmsOf(fridge.sensorId, "heat");
    expect(before?.status).toBe("resolved");

    const late = readingRow(fridge.sensorId, start + 5 * HOUR + 5 * MIN, 7);
    const outcome = await applyReadings(db, [late], new Date(start + 20 * HOUR));
    expect(outcome).toMatchObject({ retracted: 1, slowPathSensors: 1 });
    const [after, ...more] = await alarmsOf(fridge.sensorId, "heat");
    expect(more).toEqual([]);
    expect(after).toMatchObject({ id: before?.id, status: "retracted", liveKey: null, startedAt: before?.startedAt });
    expect(after?.retractedAt).toEqual(new Date(start + 20 * HOUR));
    const events = await eventsOf(after ? [after.id] : []);
    expect(events.map((event) => event.kind)).toEqual(["alarm.opened", "alarm.resolved", "alarm.retracted"]);
  });

  it("a late in-range reading that splits a live alarm in two long parts resolves the first and opens the second", async () => {
    const fridge = await newFridge();
    await live(series(fridge.sensorId, start, repeat(9, 133))); // 22 h, still going on
    const [before] = await alarmsOf(fridge.sensorId, "heat");
    expect(before).toMatchObject({ status: "open", liveKey: `${fridge.sensorId}:heat` });

    const now = new Date(start + 22 * HOUR + MIN);
    await applyReadings(db, [readingRow(fridge.sensorId, start + 11 * HOUR + 5 * MIN, 6)], now);
    const [first, second, ...more] = await alarmsOf(fridge.sensorId, "heat");
    expect(more).toEqual([]);
    expect(first).toMatchObject({
      id: before?.id,
      status: "resolved",
      liveKey: null,
      startedAt: new Date(start),
      lastOutOfRangeAt: new Date(start + 11 * HOUR),
      endedAt: new Date(start + 11 * HOUR + 5 * MIN),
    });
    expect(second).toMatchObject({
      status: "open",
      liveKey: `${fridge.sensorId}:heat`,
      startedAt: new Date(start + 11 * HOUR + 10 * MIN),
      endedAt: null,
      detectedLate: true,
    });
    const [tracker] = await db
      .select()
      .from(alarmTrackers)
      .where(and(eq(alarmTrackers.sensorId, fridge.sensorId), eq(alarmTrackers.type, "heat")));
    expect(tracker).toMatchObject({ alarmId: second?.id, episodeStartedAt: new Date(start + 11 * HOUR + 10 * MIN) });

    // The next live reading extends the new alarm through the fast path.
    const next = await applyReadings(db, [readingRow(fridge.sensorId, start + 22 * HOUR + 10 * MIN, 9.9)], now);
    expect(next.slowPathSensors).toBe(0);
    const [, extended] = await alarmsOf(fridge.sensorId, "heat");
    expect(extended).toMatchObject({ id: second?.id, peakCentiC: 990, status: "open" });
  });

  it("late readings that move a live alarm's start announce it once (alarm.updated); replaying them, never", async () => {
    const fridge = await newFridge();
    await live(series(fridge.sensorId, start, repeat(9, 62))); // 0 … 10 h 10 min above +8 °C, still going on
    const [before] = await alarmsOf(fridge.sensorId, "heat");
    expect(before).toMatchObject({
      status: "open",
      startedAt: new Date(start),
      openedAt: new Date(start + 10 * HOUR),
      detectedAt: new Date(start + 10 * HOUR + 30_000),
    });

    // The logger's buffer brings two earlier readings of the same run: it began 20 min sooner.
    const now = new Date(start + 11 * HOUR);
    const late = series(fridge.sensorId, start - 20 * MIN, [9.2, 9.4]);
    const outcome = await applyReadings(db, late, now);
    expect(outcome).toMatchObject({ opened: [], resolved: 0, retracted: 0, slowPathSensors: 1 });
    const [after, ...more] = await alarmsOf(fridge.sensorId, "heat");
    expect(more).toEqual([]);
    expect(after).toMatchObject({
      id: before?.id,
      status: "open",
      startedAt: new Date(start - 20 * MIN),
      openedAt: new Date(start - 20 * MIN + 10 * HOUR),
      detectedAt: before?.detectedAt, // raised when it was, not now
      durationSeconds: (10 * 60 + 30) * 60,
    });
    const events = await eventsOf(after ? [after.id] : []);
    expect(events.map((event) => event.kind)).toEqual(["alarm.opened", "alarm.updated"]);
    expect(events[1]?.payload).toMatchObject({
      event: "updated",
      status: "open",
      startedAt: new Date(start - 20 * MIN).toISOString(),
      openedAt: new Date(start - 20 * MIN + 10 * HOUR).toISOString(),
      detectedAt: new Date(start + 10 * HOUR + 30_000).toISOString(),
      previous: { startedAt: new Date(start).toISOString(), openedAt: new Date(start + 10 * HOUR).toISOString() },
    });
    expect(events[1]?.orgUnitId).toBe(fridge.facilityId);

    // The same late readings again, and the whole series again: nothing moves, nothing is announced.
    const rowBefore = await alarmsOf(fridge.sensorId, "heat");
    await applyReadings(db, late, new Date(now.getTime() + MIN));
    await applyReadings(db, series(fridge.sensorId, start, repeat(9, 62)).reverse(), new Date(now.getTime() + 2 * MIN));
    expect(await alarmsOf(fridge.sensorId, "heat")).toEqual(rowBefore);
    expect((await eventsOf(after ? [after.id] : [])).map((event) => event.kind)).toEqual([
      "alarm.opened",
      "alarm.updated",
    ]);
  });

  it("redelivered readings change nothing: no new alarm, no new notice, no rewritten row", async () => {
    const fridge = await newFridge();
    const rows = series(fridge.sensorId, start, [...repeat(9, 70), 5]);
    await live(rows);
    const alarmsBefore = await alarmsOf(fridge.sensorId);
    const eventsBefore = await eventsOf(alarmsBefore.map((alarm) => alarm.id));
    const trackersBefore = await db.select().from(alarmTrackers).where(eq(alarmTrackers.sensorId, fridge.sensorId));

    const outcome = await applyReadings(db, [...rows].reverse(), new Date(start + 30 * HOUR));
    // Nothing newer than the sensor's latest reading: no early warning is even evaluated.
    expect(outcome).toEqual({
      opened: [],
      resolved: 0,
      retracted: 0,
      slowPathSensors: 1,
      notices: [],
      earlyWarnings: { evaluated: 0, opened: 0, ended: 0 },
    });
    expect(await alarmsOf(fridge.sensorId)).toEqual(alarmsBefore);
    expect(await eventsOf(alarmsBefore.map((alarm) => alarm.id))).toEqual(eventsBefore);
    expect(await db.select().from(alarmTrackers).where(eq(alarmTrackers.sensorId, fridge.sensorId))).toEqual(
      trackersBefore,
    );
  });

  it("two workers flushing one sensor's readings at the same time open exactly one alarm (C4)", async () => {
    const fridge = await newFridge();
    const rows = series(fridge.sensorId, start, [...repeat(9, 66), 5]);
    const even = rows.filter((_, i) => i % 2 === 0);
    const odd = rows.filter((_, i) => i % 2 === 1);
    for (let i = 0; i < even.length; i += 3) {
      // Received 30 s after the earliest reading of the step (the others are still "in flight").
      const now = new Date((rows[2 * i]?.ts.getTime() ?? start) + 30_000);
      await Promise.all([
        applyReadings(db, even.slice(i, i + 3), now),
        applyReadings(db, odd.slice(i, i + 3), now),
        applyReadings(db, odd.slice(i, i + 3), now), // and a redelivery racing them
      ]);
    }
    const kept = (await alarmsOf(fridge.sensorId, "heat")).filter((alarm) => alarm.status !== "retracted");
    expect(kept.map(runOf)).toEqual(expectedAlarms(asAlarmReadings(rows), "heat"));
    const all = await alarmsOf(fridge.sensorId, "heat");
    const announced = (await eventsOf(all.map((alarm) => alarm.id))).filter((event) => event.kind === "alarm.opened");
    expect(announced).toHaveLength(1);
  });
});

describe("FREEZE, rules per fridge", () => {
  it("a freeze alarm threatens only freeze-sensitive stock", async () => {
    const fridge = await newFridge();
    await live(series(fridge.sensorId, T0, [...repeat(-0.5, 7), 3]));
    const [freeze] = await alarmsOf(fridge.sensorId, "freeze");
    expect(freeze).toMatchObject({ status: "resolved", minCentiC: -50, durationSeconds: 3600 });
    const [opened] = await eventsOf(freeze ? [freeze.id] : []);
    const payload = opened?.payload as AlarmEventPayload;
    expect(payload.stockAtRisk.items.map((item) => item.code).sort()).toEqual(["DIL-BCG", "DPT-HB-HIB"]);
    expect(payload.stockAtRisk.totalDoses).toBe(370);
  });

  it("applies a fridge's own rule: an inclusive +10.0 °C heat limit over 1 h", async () => {
    const fridge = await newFridge();
    await db.insert(alarmRules).values({
      equipmentId: fridge.equipmentId,
      type: "heat",
      thresholdCentiC: 1000,
      thresholdInclusive: true,
      durationSeconds: 3600,
    });
    await live(series(fridge.sensorId, T0, [...repeat(10, 7), 9.99]));
    expect(await alarmsOf(fridge.sensorId, "heat")).toMatchObject([
      { startedAt: new Date(T0), durationSeconds: 3600, endedAt: new Date(T0 + 70 * MIN) },
    ]);
  });

  it("a freezer raises no fridge-range alarms by default", async () => {
    const fridge = await newFridge();
    await db.update(equipment).set({ kind: "freezer" }).where(eq(equipment.id, fridge.equipmentId));
    await live(series(fridge.sensorId, T0, repeat(-20, 20)));
    expect(await alarmsOf(fridge.sensorId)).toEqual([]);
  });
});

describe("LOW_BATTERY with hysteresis", () => {
  it("opens below 20 %, stays open up to 24 %, resolves at 25 %, reopens only below 20 % again", async () => {
    const fridge = await newFridge();
    const levels = [22, 19, 21, null, 24, 25, 22, 20, 18];
    await live(levels.map((batteryPct, i) => readingRow(fridge.sensorId, T0 + i * 10 * MIN, 5, { batteryPct })));
    expect(await alarmsOf(fridge.sensorId, "low_battery")).toMatchObject([
      {
        status: "resolved",
        startedAt: new Date(T0 + 10 * MIN),
        lastOutOfRangeAt: new Date(T0 + 40 * MIN),
        endedAt: new Date(T0 + 50 * MIN),
        minCentiC: 19,
        peakCentiC: 24,
      },
      { status: "open", startedAt: new Date(T0 + 80 * MIN), liveKey: `${fridge.sensorId}:low_battery` },
    ]);
  });
});

describe("NO_DATA", () => {
  const now = new Date(T0 + 10 * 24 * HOUR);

  it("opens once a sensor is silent past max(60 min, 2 × interval), once however many replicas check", async () => {
    const fridge = await newFridge();
    await applyReadings(db, [readingRow(fridge.sensorId, now.getTime() - 61 * MIN, 5)], now);
    const quiet = await newFridge();
    await applyReadings(db, [readingRow(quiet.sensorId, now.getTime() - 59 * MIN, 5)], now);

    const clock = clockAt(now);
    await Promise.all([checkSilentSensors(db, clock), checkSilentSensors(db, clock), checkSilentSensors(db, clock)]);
    await checkSilentSensors(db, clock);
    expect(await alarmsOf(fridge.sensorId, "no_data")).toMatchObject([
      {
        status: "open",
        liveKey: `${fridge.sensorId}:no_data`,
        startedAt: new Date(now.getTime() - 61 * MIN),
        // Silent for more than 60 min since its last reading; seen by the check at `now`.
        openedAt: new Date(now.getTime() - MIN),
        detectedAt: now,
        durationSeconds: 61 * 60,
      },
    ]);
    expect(await alarmsOf(quiet.sensorId, "no_data")).toEqual([]);
    const [alarm] = await alarmsOf(fridge.sensorId, "no_data");
    expect((await eventsOf(alarm ? [alarm.id] : [])).map((event) => event.kind)).toEqual(["alarm.opened"]);

    // A buffered reading that still leaves the data stale does not end it; a current one does.
    await applyReadings(
      db,
      [readingRow(fridge.sensorId, now.getTime() - 50 * MIN, 5)],
      new Date(now.getTime() + 20 * MIN),
    );
    expect((await alarmsOf(fridge.sensorId, "no_data"))[0]?.status).toBe("open");
    const back = now.getTime() + 19 * MIN;
    await applyReadings(db, [readingRow(fridge.sensorId, back, 5)], new Date(now.getTime() + 20 * MIN));
    expect(await alarmsOf(fridge.sensorId, "no_data")).toMatchObject([
      { status: "resolved", liveKey: null, endedAt: new Date(back), durationSeconds: 80 * 60 },
    ]);
    expect((await eventsOf(alarm ? [alarm.id] : [])).map((event) => event.kind)).toEqual([
      "alarm.opened",
      "alarm.resolved",
    ]);
  });

  it("waits 2 × the logging interval for slow loggers, and closes the alarm of a deactivated sensor", async () => {
    const fridge = await newFridge();
    await db.execute(sql`UPDATE sensors SET expected_interval_seconds = 3600 WHERE id = ${fridge.sensorId}`);
    await applyReadings(db, [readingRow(fridge.sensorId, now.getTime() - 119 * MIN, 5)], now);
    await checkSilentSensors(db, clockAt(now));
    expect(await alarmsOf(fridge.sensorId, "no_data")).toEqual([]);
    await checkSilentSensors(db, clockAt(now.getTime() + 2 * MIN));
    expect(await alarmsOf(fridge.sensorId, "no_data")).toHaveLength(1);

    await db.execute(sql`UPDATE sensors SET active = 0 WHERE id = ${fridge.sensorId}`);
    await checkSilentSensors(db, clockAt(now.getTime() + 3 * MIN));
    expect(await alarmsOf(fridge.sensorId, "no_data")).toMatchObject([{ status: "resolved", liveKey: null }]);
  });
});

describe("NO_DATA on a clock of its own", () => {
  it("a day of silence, checked every minute of clock time: raised once, at 61 min, and cleared by data", async () => {
    // Later than every reading of the tests above, so their sensors are silent from the first round on.
    const base = T0 + 60 * 24 * HOUR;
    const clock = createManualClock(base);
    const fridge = await newFridge();
    await applyReadings(db, [readingRow(fridge.sensorId, base, 5)], clock.now());

    const openedAtMinute: number[] = [];
    for (let minute = 1; minute <= 24 * 60; minute += 1) {
      clock.advance(MIN);
      const { opened } = await checkSilentSensors(db, clock);
      if (opened > 0 && (await alarmsOf(fridge.sensorId, "no_data")).length > openedAtMinute.length) {
        openedAtMinute.push(minute);
      }
    }
    // Silent for more than max(60 min, 2 × 5 min): the round at 61 min raises it, no round after that again.
    expect(openedAtMinute).toEqual([61]);
    const [alarm, ...more] = await alarmsOf(fridge.sensorId, "no_data");
    expect(more).toEqual([]);
    expect(alarm).toMatchObject({
      status: "open",
      startedAt: new Date(base),
      openedAt: new Date(base + 60 * MIN),
      detectedAt: new Date(base + 61 * MIN),
      detectedLate: false,
    });

    // Data again, a day later by the clock: the flush clears it; later rounds raise nothing.
    const back = clock.now().getTime() - 30_000;
    await applyReadings(db, [readingRow(fridge.sensorId, back, 5)], clock.now());
    for (let minute = 0; minute < 30; minute += 1) {
      clock.advance(MIN);
      await checkSilentSensors(db, clock);
    }
    expect(await alarmsOf(fridge.sensorId, "no_data")).toMatchObject([
      { id: alarm?.id, status: "resolved", liveKey: null, endedAt: new Date(back) },
    ]);
    expect((await eventsOf(alarm ? [alarm.id] : [])).map((event) => event.kind)).toEqual([
      "alarm.opened",
      "alarm.resolved",
    ]);
  }, 120_000);
});

describe("rollups", () => {
  it("hourly and daily buckets equal the stored readings, whatever was late or repeated", async () => {
    const fridge = await newFridge();
    const rows = series(fridge.sensorId, T0 + 23 * HOUR, [...repeat(4, 20), ...repeat(9, 20)], 7 * MIN);
    await live(rows.slice(10));
    await applyReadings(db, rows.slice(0, 15).reverse(), new Date()); // late, with repeats
    await applyReadings(db, rows.slice(20, 30), new Date()); // pure redelivery
    const hourly = await db
      .select()
      .from(readingRollupsHourly)
      .where(eq(readingRollupsHourly.sensorId, fridge.sensorId));
    const bucket = sql`DATE_FORMAT(${readings.ts}, '%Y-%m-%d %H:00:00')`;
    const truthRows = await db
      .select({
        min: sql`MIN(${readings.tempCentiC})`.mapWith(Number),
        max: sql`MAX(${readings.tempCentiC})`.mapWith(Number),
        sum: sql`SUM(${readings.tempCentiC})`.mapWith(Number),
        count: sql`COUNT(*)`.mapWith(Number),
      })
      .from(readings)
      .where(eq(readings.sensorId, fridge.sensorId))
      .groupBy(bucket)
      .orderBy(bucket);
    expect(
      hourly
        .sort((a, b) => a.bucketStart.getTime() - b.bucketStart.getTime())
        .map((row) => ({ min: row.minCentiC, max: row.maxCentiC, sum: row.sumCentiC, count: row.count })),
    ).toEqual(truthRows);
    expect(truthRows.reduce((sum, row) => sum + row.count, 0)).toBe(40);

    const daily = await db.select().from(readingRollupsDaily).where(eq(readingRollupsDaily.sensorId, fridge.sensorId));
    const byDay = new Map<number, number>();
    for (const row of rows) {
      const day = Math.floor(row.ts.getTime() / (24 * HOUR)) * 24 * HOUR;
      byDay.set(day, (byDay.get(day) ?? 0) + 1);
    }
    expect(
      daily.map((row) => [row.bucketStart.getTime(), row.count]).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)),
    ).toEqual([...byDay].sort((a, b) => a[0] - b[0]));
    expect(daily.reduce((sum, row) => sum + row.sumCentiC, 0)).toBe(rows.reduce((sum, row) => sum + row.tempCentiC, 0));
  });

  it("every sensor's hourly rollups match its readings after all the tests above", async () => {
    const [mismatch] = await db.execute(sql`
      SELECT r.sensor_id, r.bucket FROM (
        SELECT sensor_id, DATE_FORMAT(ts, '%Y-%m-%d %H:00:00') AS bucket, COUNT(*) AS n, SUM(temp_centi_c) AS s,
               MIN(temp_centi_c) AS lo, MAX(temp_centi_c) AS hi
        FROM readings GROUP BY sensor_id, bucket) r
      LEFT JOIN reading_rollups_hourly h ON h.sensor_id = r.sensor_id AND h.bucket_start = r.bucket
      WHERE h.sensor_id IS NULL OR h.count <> r.n OR h.sum_centi_c <> r.s OR h.min_centi_c <> r.lo OR h.max_centi_c <> r.hi
      LIMIT 5`);
    expect(mismatch).toEqual([]);
    expect(await db.$count(readings)).toBeGreaterThan(1000);
    expect(await db.$count(alarms, ne(alarms.status, "retracted"))).toBeGreaterThan(10);
  });
});
