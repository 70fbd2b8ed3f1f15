import { readIngestEnv } from "./env";
import { configFromEnv, startIngest } from "./ingest";
import { createLogger, errorFields } from "./logger";

/*
 * `npm start -w @rantai/ingest` (tsx src/main.ts): MQTT → MariaDB, acking each message only
 * after its rows are committed. SIGTERM/SIGINT: stop consuming, flush, ack, disconnect, exit
 * (non-zero if the INGEST_SHUTDOWN_TIMEOUT_MS deadline was hit). Any unexpected exception
 * crashes the process on purpose: unacked messages are redelivered after the restart.
 */
const env = readIngestEnv();
const logger = createLogger({ service: "ingest", clientId: env.INGEST_CLIENT_ID });

process.on("uncaughtException", (error) => {
  logger.error("uncaught_exception", { ...errorFields(error), stack: error.stack });
  process.exit(1);
});
process.on("unhandledRejection", (reason) => {
  logger.error("unhandled_rejection", errorFields(reason));
  process.exit(1);
});

const ingest = await startIngest({ ...configFromEnv(env), logger });

for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    logger.info("signal_received", { signal });
    void ingest.stop().then(({ graceful }) => process.exit(graceful ? 0 : 1));
  });
}
