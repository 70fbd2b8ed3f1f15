import { configureProcessLogger, errorFields } from "@rantai/core/kernel/logger";
import { createDatabase, sensors } from "@rantai/db";
import { asc, eq } from "drizzle-orm";
import { readSimulatorEnv } from "../env";
import { startFleet } from "./fleet";

/*
 * `npm run simulate -w @rantai/ingest`: every active sensor in the database publishes a
 * realistic reading every SIMULATOR_INTERVAL_SECONDS (default 10 s) with ts = now, plus a
 * retained online status and a last will. Ctrl-C marks every device offline and exits.
 */
const env = readSimulatorEnv();
const logger = configureProcessLogger({ service: "simulator", level: env.LOG_LEVEL });

/**
 * Demo credentials when the seed package provides them (username = deviceId). Loaded by a
 * computed specifier so the simulator still starts where the seed is absent; it then connects
 * anonymously, which only a broker other than Rantai's (allow_anonymous false) would accept.
 */
async function loadDemoSecrets(): Promise<((deviceId: string) => string) | undefined> {
  const specifier = "@rantai/db/seed";
  try {
    const seed: unknown = await import(specifier);
    if (typeof seed === "object" && seed !== null && "demoDeviceSecret" in seed) {
      const secretOf = seed.demoDeviceSecret;
      if (typeof secretOf === "function") return (deviceId) => String(secretOf(deviceId));
    }
  } catch (error) {
    logger.warn(
      {
        ...errorFields(error),
        note: "connecting anonymously; Rantai's broker refuses that",
      },
      "demo_secrets_unavailable",
    );
  }
  return undefined;
}

const database = createDatabase({ url: env.DATABASE_URL, poolSize: 1 });
let deviceIds: string[];
try {
  const query = database.db
    .select({ deviceId: sensors.deviceId })
    .from(sensors)
    .where(eq(sensors.active, true))
    .orderBy(asc(sensors.deviceId));
  const rows = env.SIMULATOR_DEVICE_LIMIT > 0 ? await query.limit(env.SIMULATOR_DEVICE_LIMIT) : await query;
  deviceIds = rows.map((row) => row.deviceId);
} finally {
  await database.close();
}
if (deviceIds.length === 0) {
  logger.error({ hint: "run `npm run db:seed` first" }, "no_active_sensors");
  process.exit(1);
}

const secretOf = await loadDemoSecrets();
const fleet = startFleet({
  url: env.MQTT_URL,
  deviceIds,
  intervalSeconds: env.SIMULATOR_INTERVAL_SECONDS,
  secretOf,
  logger,
});
logger.info(
  {
    devices: deviceIds.length,
    intervalSeconds: env.SIMULATOR_INTERVAL_SECONDS,
    mqttUrl: env.MQTT_URL.replace(/\/\/[^@/]*@/, "//***@"),
    credentials: secretOf ? "demo" : "anonymous",
  },
  "simulator_started",
);
const report = setInterval(() => logger.info(fleet.stats(), "simulator_stats"), 60_000);

let stopping = false;
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    if (stopping) return;
    stopping = true;
    clearInterval(report);
    const deadline = setTimeout(() => process.exit(1), 10_000);
    void fleet.stop().then(() => {
      clearTimeout(deadline);
      logger.info(fleet.stats(), "simulator_stopped");
      process.exit(0);
    });
  });
}
