import { configureProcessLogger, errorFields } from "@rantai/core/kernel/logger";
import { createDatabase } from "@rantai/db";
import { readIngestEnv } from "./env";
import { configFromEnv, startIngest } from "./ingest";
import { startPartitionMaintenance } from "./maintenance/job";

/*
 * `npm start -w @rantai/ingest` (tsx src/main.ts): MQTT → MariaDB, acking each message only
 * after its rows are committed. SIGTERM/SIGINT: stop consuming, flush, ack, disconnect, exit
 * (non-zero if the INGEST_SHUTDOWN_TIMEOUT_MS deadline was hit). Any unexpected exception
 * crashes the process on purpose: unacked messages are redelivered after the restart.
 *
 * Alongside, at start and every hour, the readings partition job: daily partitions
 * READINGS_PARTITION_DAYS_AHEAD days ahead, days older than READINGS_RETENTION_DAYS dropped.
 * Every replica runs it; a MySQL user lock lets one at a time do the work.
 */
const PARTITION_INTERVAL_MS = 60 * 60 * 1000;

const env = readIngestEnv();
// The process logger: the domain code ingest runs (the alarm store) writes its lines here too.
// `replica` is the client id prefix; a connection's own lines add its `clientId` (prefix-i).
const logger = configureProcessLogger({
  service: "ingest",
  level: env.LOG_LEVEL,
  base: { replica: env.INGEST_CLIENT_ID },
});

process.on("uncaughtException", (error) => {
  logger.error({ ...errorFields(error), stack: error.stack }, "uncaught_exception");
  process.exit(1);
});
process.on("unhandledRejection", (reason) => {
  logger.error(errorFields(reason), "unhandled_rejection");
  process.exit(1);
});

const ingest = await startIngest({ ...configFromEnv(env), logger });

const maintenanceDatabase = createDatabase({ url: env.DATABASE_URL, poolSize: 1 });
const partitions = startPartitionMaintenance(maintenanceDatabase.pool, {
  retentionDays: env.READINGS_RETENTION_DAYS,
  daysAhead: env.READINGS_PARTITION_DAYS_AHEAD,
  intervalMs: PARTITION_INTERVAL_MS,
  logger,
});

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    logger.info({ signal }, "signal_received");
    const stopMaintenance = partitions
      .stop()
      .then(() => maintenanceDatabase.close())
      .catch((error: unknown) => logger.error(errorFields(error), "partitions_stop_failed"));
    // A partition ALTER in progress finishes on the server either way; do not wait long for it.
    const maintenanceDone = Promise.race([stopMaintenance, new Promise((resolve) => setTimeout(resolve, 5000))]);
    void Promise.all([ingest.stop(), maintenanceDone]).then(([{ graceful }]) => process.exit(graceful ? 0 : 1));
  });
}
