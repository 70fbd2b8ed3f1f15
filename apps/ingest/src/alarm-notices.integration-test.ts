import {
  type AlarmNotice,
  alarmNoticeChannel,
  createAlarmNoticeFeed,
  type LiveAlarmMessage,
} from "@rantai/core/coldchain/alarms";
import { readingsTopic } from "@rantai/core/coldchain/sensor-protocol";
import { createLogger } from "@rantai/core/kernel/logger";
import { alarms, createDatabase, type DatabaseHandle } from "@rantai/db";
import { createFridgeWithSensor, createOrgUnit } from "@rantai/db/factories";
import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";
import { inArray } from "drizzle-orm";
import { Redis } from "ioredis";
import { Registry } from "prom-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createAlarmMetrics } from "./alarm-metrics";
import { createAlarmNoticePublisher } from "./alarm-notices";
import { createFlush } from "./flush";
import { withoutFoundRows } from "./ingest";
import { type IngestMessage, routeMessage, rowsOf } from "./message";
import { createMetrics } from "./metrics";
import { createSensorCache } from "./sensor-cache";

/*
 * Ingest's side of the live alarm inbox: a flush that raises an alarm tells it only after the
 * commit, and the notice reaches a feed on the database's channel with the facility's path.
 */
let database: TestDatabase;
let ingestDb: DatabaseHandle;
let redisUrl: string;
let facilityPath: string;
let device: { deviceId: string; sensorId: number };

beforeAll(async () => {
  // biome-ignore lint/style/noProcessEnv: integration tests find MariaDB and Redis through TEST_* variables.
  const services = readTestServices(process.env);
  redisUrl = services.redisUrl;
  database = await createTestDatabase(services.mysqlServerUrl, "alarm-notices");
  ingestDb = createDatabase({ url: withoutFoundRows(database.url), poolSize: 3 });
  const district = await createOrgUnit(database.db, { parent: null, level: "district", name: "Kabupaten Bantul" });
  const facility = await createOrgUnit(database.db, { parent: district, level: "facility", name: "Puskesmas Sewon I" });
  facilityPath = facility.path;
  const deviceId = "RTS-NOTICE-A";
  device = { deviceId, sensorId: (await createFridgeWithSensor(database.db, { facility, deviceId })).sensorId };
});

afterAll(async () => {
  await ingestDb?.close();
  await database?.destroy();
});

/** A logger's buffer: 70 min at −1 °C an hour ago (FREEZE needs 60 min at or below −0.5 °C). */
function freezeBuffer(): IngestMessage {
  const start = Date.now() - 2 * 3_600_000;
  const readings = Array.from({ length: 8 }, (_, i) => ({
    ts: new Date(start + i * 600_000).toISOString(),
    tempC: -1,
  }));
  const topic = readingsTopic(device.deviceId);
  const payload = Buffer.from(JSON.stringify({ readings }));
  const receivedAt = new Date();
  const route = routeMessage(topic, payload, receivedAt);
  return { topic, payload, receivedAt, route, rows: rowsOf(route), settle: () => {} };
}

describe("ingest's alarm notices", () => {
  it("are told after the flush committed, and reach the console's feed", async () => {
    const channel = alarmNoticeChannel(database.url);
    const feedRedis = new Redis(redisUrl, { maxRetriesPerRequest: 2 });
    const feed = createAlarmNoticeFeed(feedRedis, channel);
    const controller = new AbortController();
    const stream = feed.watch(facilityPath, controller.signal);
    expect((await stream.next()).value).toEqual({ kind: "ready" });

    const publisher = createAlarmNoticePublisher({
      db: ingestDb.db,
      redisUrl,
      databaseUrl: database.url,
      logger: createLogger({ service: "ingest", destination: { write: () => {} } }),
    });
    // What another connection sees of the notified alarms at the moment ingest tells them.
    let seenWhenTold: Promise<number> = Promise.resolve(0);
    const told: AlarmNotice[] = [];
    const flush = createFlush({
      db: ingestDb.db,
      sensors: createSensorCache(),
      metrics: createMetrics(),
      alarmMetrics: createAlarmMetrics(new Registry()),
      maxRows: 1000,
      onAlarmNotices(notices) {
        told.push(...notices);
        const ids = [...new Set(notices.map((notice) => notice.alarmId))];
        if (ids.length > 0)
          seenWhenTold = database.db
            .select({ id: alarms.id })
            .from(alarms)
            .where(inArray(alarms.id, ids))
            .then((rows) => rows.length);
        publisher.publish(notices);
      },
    });
    await flush([freezeBuffer()]);

    const freeze = told.find((notice) => notice.event === "opened" || notice.event === "late");
    expect(freeze).toBeDefined();
    expect(await seenWhenTold).toBe(new Set(told.map((notice) => notice.alarmId)).size);
    const message = (await stream.next()).value as LiveAlarmMessage;
    expect(message).toMatchObject({ kind: "changed", alarmId: freeze?.alarmId });

    controller.abort();
    await publisher.close();
    await feed.close();
  });
});
