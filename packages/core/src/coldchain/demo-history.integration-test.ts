import {
  alarms,
  equipment,
  notificationOutbox,
  readingRollupsDaily,
  readingRollupsHourly,
  readings,
  sensors,
} from "@rantai/db";
import { DEMO_EPISODES, seedDemoWorld } from "@rantai/db/seed";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { asc, count, eq, sum } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { detectEpisodes } from "./alarms/episodes";
import { noDataThresholdMs, resolveRules } from "./alarms/rules";
import { replayDemoHistory } from "./demo-history";

const now = new Date("2026-03-02T05:17:00Z");
/** The last slot's flush runs 45 s after it (see demo-history.ts). */
const lastCheck = new Date("2026-03-02T05:10:45Z").getTime();

let database: TestDatabase;

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB through TEST_MYSQL_URL.
  database = await createTestDatabase(readTestServices(process.env).mysqlServerUrl, "demo_history");
  await seedDemoWorld(database.db, { now, historyDays: 7, writeReadings: false });
  await replayDemoHistory(database.db, { now, historyDays: 7 });
}, 180_000);

afterAll(async () => {
  await database?.destroy();
});

async function counts() {
  const db = database.db;
  const [r] = await db.select({ n: count() }).from(readings);
  const [a] = await db.select({ n: count() }).from(alarms);
  const [o] = await db.select({ n: count() }).from(notificationOutbox);
  const [h] = await db.select({ n: count(), total: sum(readingRollupsHourly.count) }).from(readingRollupsHourly);
  const [d] = await db.select({ n: count(), total: sum(readingRollupsDaily.count) }).from(readingRollupsDaily);
  return { readings: r?.n, alarms: a?.n, outbox: o?.n, hours: h, days: d };
}

/** What the engine's pure rules make of each sensor's stored readings: "device|type|start|end". */
async function expectedAlarms(): Promise<string[]> {
  const rows = await database.db
    .select({
      sensorId: readings.sensorId,
      deviceId: sensors.deviceId,
      kind: equipment.kind,
      interval: sensors.expectedIntervalSeconds,
      ts: readings.ts,
      tempCentiC: readings.tempCentiC,
      batteryPct: readings.batteryPct,
    })
    .from(readings)
    .innerJoin(sensors, eq(sensors.id, readings.sensorId))
    .innerJoin(equipment, eq(equipment.id, sensors.equipmentId))
    .orderBy(asc(readings.sensorId), asc(readings.ts));
  const bySensor = new Map<number, typeof rows>();
  for (const row of rows) bySensor.set(row.sensorId, [...(bySensor.get(row.sensorId) ?? []), row]);
  const expected: string[] = [];
  for (const list of bySensor.values()) {
    const [head] = list;
    if (!head) continue;
    const series = list.map((row) => ({
      ts: row.ts.getTime(),
      tempCentiC: row.tempCentiC,
      batteryPct: row.batteryPct,
    }));
    const rules = resolveRules(head.kind, []);
    for (const rule of rules.fold.filter((candidate) => candidate.enabled)) {
      for (const episode of detectEpisodes(series, rule).episodes) {
        if (episode.alarmAt === null) continue;
        expected.push(`${head.deviceId}|${rule.type}|${episode.startedAt}|${episode.endedAt ?? "open"}`);
      }
    }
    // NO_DATA: a silence longer than the threshold between two readings, or until the last check.
    const silence = noDataThresholdMs(head.interval);
    for (let i = 0; i < series.length; i++) {
      const from = series[i]?.ts ?? 0;
      const next = series[i + 1]?.ts;
      if ((next ?? lastCheck) - from > silence) expected.push(`${head.deviceId}|no_data|${from}|${next ?? "open"}`);
    }
  }
  return expected.sort();
}

describe("the demo's temperature history through the alarm engine", () => {
  it("raises heat, freeze, excursion and no-data alarms exactly where the rules put them", async () => {
    const stored = await database.db
      .select({
        deviceId: sensors.deviceId,
        type: alarms.type,
        status: alarms.status,
        startedAt: alarms.startedAt,
        endedAt: alarms.endedAt,
        detectedLate: alarms.detectedLate,
      })
      .from(alarms)
      .innerJoin(sensors, eq(sensors.id, alarms.sensorId));
    expect(new Set(stored.map((alarm) => alarm.type))).toEqual(new Set(["heat", "freeze", "excursion", "no_data"]));
    expect(stored.filter((alarm) => alarm.status === "retracted" || alarm.detectedLate)).toEqual([]);
    const actual = stored
      .map(
        (alarm) => `${alarm.deviceId}|${alarm.type}|${alarm.startedAt.getTime()}|${alarm.endedAt?.getTime() ?? "open"}`,
      )
      .sort();
    expect(actual).toEqual(await expectedAlarms());
    // Every planted episode raised something, and nothing else did.
    expect(new Set(stored.map((alarm) => alarm.deviceId))).toEqual(new Set(Object.keys(DEMO_EPISODES)));
  });

  it("leaves the Depok power cut open for the facility's user to acknowledge", async () => {
    const open = await database.db
      .select({ type: alarms.type, status: alarms.status, acknowledgedAt: alarms.acknowledgedAt })
      .from(alarms)
      .innerJoin(sensors, eq(sensors.id, alarms.sensorId))
      .where(eq(sensors.deviceId, "RTS-P340407-1"));
    expect(
      open
        .filter((alarm) => alarm.status === "open" && alarm.acknowledgedAt === null)
        .map((a) => a.type)
        .sort(),
    ).toEqual(["excursion", "heat"]);
  });

  it("writes each alarm's notices once, with the stock at risk", async () => {
    const notices = await database.db
      .select({ kind: notificationOutbox.kind, payload: notificationOutbox.payload })
      .from(notificationOutbox);
    const [alarmCount] = await database.db.select({ n: count() }).from(alarms);
    expect(notices.filter((notice) => notice.kind === "alarm.opened")).toHaveLength(alarmCount?.n ?? -1);
    const heat = notices.find(
      (notice) =>
        notice.kind === "alarm.opened" &&
        JSON.stringify(notice.payload).includes('"type":"heat"') &&
        JSON.stringify(notice.payload).includes("Depok"),
    );
    expect(JSON.stringify(heat?.payload)).toMatch(/"stockAtRisk":\{"totalDoses":[1-9]/);
  });

  it("keeps hourly and daily rollups equal to the readings", async () => {
    const after = await counts();
    expect(Number(after.hours?.total)).toBe(after.readings);
    expect(Number(after.days?.total)).toBe(after.readings);
  });

  it("adds nothing when run again", async () => {
    const before = await counts();
    const again = await replayDemoHistory(database.db, { now, historyDays: 7 });
    expect(again.readings).toBe(0);
    expect(await counts()).toEqual(before);
  });
});
