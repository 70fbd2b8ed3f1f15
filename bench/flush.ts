import { randomBytes } from "node:crypto";
import { parseArgs } from "node:util";
import { createDatabase } from "@rantai/db";
import { dropDatabase } from "@rantai/db/migrate";
import { readTestServices } from "@rantai/db/testing";
import { createAlarmMetrics } from "../apps/ingest/src/alarm-metrics";
import { createFlush } from "../apps/ingest/src/flush";
import { withoutFoundRows } from "../apps/ingest/src/ingest";
import { runPartitionJob } from "../apps/ingest/src/maintenance/job";
import { type IngestMessage, routeMessage, rowsOf } from "../apps/ingest/src/message";
import { createMetrics } from "../apps/ingest/src/metrics";
import { createSensorCache } from "../apps/ingest/src/sensor-cache";
import { benchDeviceId, createBenchDatabase, dayPayload, INTERVAL_MS, median, READINGS_PER_SENSOR } from "./common";

/*
 * `npm run bench:flush [-- --sensors N] [--runs N] [--lanes N] [--batch-rows N]`
 *
 * Ingest's own cost per reading without a broker: the storm's payloads (N sensors × a day of
 * 5-minute readings) parsed and validated as on arrival, then written by ingest's flush (readings,
 * sensor states, rollups, alarms) in batches of ≤ --batch-rows rows (5,000, ingest's default) on `--lanes` concurrent lanes.
 * Reports the process's CPU time per reading (what limits the storm on a small machine) next
 * to the wall-clock rate. A quick loop for profiling (`node --cpu-prof --import tsx bench/flush.ts`).
 */
const { values: flags } = parseArgs({
  options: {
    sensors: { type: "string", default: "2000" },
    runs: { type: "string", default: "3" },
    lanes: { type: "string", default: "2" },
    "batch-rows": { type: "string", default: "5000" },
  },
});
const sensorCount = Number(flags.sensors);
const lanes = Number(flags.lanes);
const serverUrl = readTestServices(process.env).mysqlServerUrl;
const MAX_ROWS = Number(flags["batch-rows"]);

async function run(index: number) {
  const url = `${serverUrl.endsWith("/") ? serverUrl : `${serverUrl}/`}rantai_bench_flush${index}_${randomBytes(3).toString("hex")}`;
  await createBenchDatabase(url, sensorCount, () => {});
  const handle = createDatabase({ url: withoutFoundRows(url), poolSize: lanes + 1 });
  try {
    await runPartitionJob(handle.pool, { retentionDays: 400, daysAhead: 14 });
    const dayStart = Math.floor((Date.now() - 24.5 * 3_600_000) / INTERVAL_MS) * INTERVAL_MS;
    const payloads = Array.from({ length: sensorCount }, (_, i) => ({
      topic: `coldchain/v1/sensors/${benchDeviceId(i)}/readings`,
      payload: dayPayload(i, dayStart),
    }));
    const metrics = createMetrics();
    const flush = createFlush({
      db: handle.db,
      sensors: createSensorCache(),
      metrics,
      alarmMetrics: createAlarmMetrics(metrics.registry),
      maxRows: MAX_ROWS,
    });
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    let parseCpuUs = 0;
    // Each lane takes every lanes-th message, groups ≤ 1,000 rows and flushes them in turn.
    await Promise.all(
      Array.from({ length: lanes }, async (_, lane) => {
        let batch: IngestMessage[] = [];
        let rows = 0;
        for (let i = lane; i < payloads.length; i += lanes) {
          const { topic, payload } = payloads[i] as { topic: string; payload: Buffer };
          const parseBefore = process.cpuUsage();
          const route = routeMessage(topic, payload, new Date());
          const parsed = process.cpuUsage(parseBefore);
          parseCpuUs += parsed.user + parsed.system;
          const message: IngestMessage = {
            topic,
            payload,
            receivedAt: new Date(),
            route,
            rows: rowsOf(route),
            settle() {},
          };
          if (rows + message.rows > MAX_ROWS && batch.length > 0) {
            await flush(batch);
            batch = [];
            rows = 0;
          }
          batch.push(message);
          rows += message.rows;
        }
        if (batch.length > 0) await flush(batch);
      }),
    );
    const wallS = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const readings = sensorCount * READINGS_PER_SENSOR;
    const stored = Number(
      (await metrics.registry.getSingleMetricAsString("rantai_ingest_readings_stored_total")).match(/ (\d+)$/m)?.[1],
    );
    if (stored !== readings) throw new Error(`stored ${stored} of ${readings}`);
    return {
      rate: readings / wallS,
      cpuUs: (cpu.user + cpu.system) / readings,
      userUs: cpu.user / readings,
      parseUs: parseCpuUs / readings,
    };
  } finally {
    await handle.close();
    await dropDatabase(url).catch(() => undefined);
  }
}

const results = [];
for (let i = 0; i < Number(flags.runs); i += 1) {
  const result = await run(i);
  console.log(
    `  run ${i + 1}: ${Math.round(result.rate)} readings/s, CPU ${result.cpuUs.toFixed(2)} µs/reading (user ${result.userUs.toFixed(2)}, parse ${result.parseUs.toFixed(2)})`,
  );
  results.push(result);
}
console.log(`flush readings/s: ${Math.round(median(results.map((r) => r.rate)))}`);
console.log(`flush CPU µs/reading: ${median(results.map((r) => r.cpuUs)).toFixed(2)}`);
console.log(`parse CPU µs/reading: ${median(results.map((r) => r.parseUs)).toFixed(2)}`);
process.exit(0);
