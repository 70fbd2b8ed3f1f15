import { configureProcessLogger, errorFields } from "@rantai/core/kernel/logger";
import { createDatabase } from "@rantai/db";
import { readBrokerAuthEnv } from "../env";
import { reloadBroker } from "./reload";
import { serviceAccountsFromEnv } from "./service-accounts";
import { syncBrokerAuth } from "./sync";

/*
 * `tsx apps/ingest/src/broker-auth/main.ts [--watch]`: writes Mosquitto's password_file and
 * acl_file from the database (active sensors + the ingest service account) and, when they
 * changed and BROKER_PID_FILE is set, sends the broker SIGHUP. With --watch it repeats every
 * BROKER_AUTH_SYNC_INTERVAL_SECONDS until SIGTERM/SIGINT; a failed round (database down) leaves
 * the files as they were, so the broker keeps its last good view.
 */
const env = readBrokerAuthEnv();
const watch = process.argv.includes("--watch");
const logger = configureProcessLogger({ service: "broker-auth", level: env.LOG_LEVEL });

const database = createDatabase({ url: env.DATABASE_URL, poolSize: 1 });
const options = {
  passwordFile: env.BROKER_PASSWORD_FILE,
  aclFile: env.BROKER_ACL_FILE,
  serviceAccounts: serviceAccountsFromEnv(env),
};

async function round(): Promise<boolean> {
  try {
    const result = await syncBrokerAuth(database.db, options);
    if (result.skipped.length > 0) logger.warn({ skipped: result.skipped.slice(0, 20) }, "broker_auth_skipped");
    if (!result.changed) return true;
    const reload = env.BROKER_PID_FILE ? await reloadBroker(env.BROKER_PID_FILE) : "no_pid_file";
    logger.info(
      {
        devices: result.devices,
        passwordFileChanged: result.passwordFileChanged,
        aclFileChanged: result.aclFileChanged,
        reload,
      },
      "broker_auth_written",
    );
    return true;
  } catch (error) {
    logger.error(errorFields(error), "broker_auth_sync_failed");
    return false;
  }
}

if (!watch) {
  const ok = await round();
  await database.close();
  process.exit(ok ? 0 : 1);
}

let timer: NodeJS.Timeout | undefined;
let stopping = false;
const loop = async () => {
  await round();
  if (!stopping) timer = setTimeout(loop, env.BROKER_AUTH_SYNC_INTERVAL_SECONDS * 1000);
};
logger.info({ intervalSeconds: env.BROKER_AUTH_SYNC_INTERVAL_SECONDS }, "broker_auth_watching");
await loop();
for (const signal of ["SIGTERM", "SIGINT"] as const) {
  process.on(signal, () => {
    stopping = true;
    clearTimeout(timer);
    void database.close().finally(() => process.exit(0));
  });
}
