import type { BrokerAuthEnv } from "../env";
import { INGEST_READ_TOPICS, INGEST_WRITE_TOPICS } from "./files";
import type { ServiceAccountConfig } from "./sync";

/** The service accounts the environment configures: today the ingest account (reads devices' topics, writes their confirmations). */
export function serviceAccountsFromEnv(env: BrokerAuthEnv): ServiceAccountConfig[] {
  return [
    {
      username: env.BROKER_INGEST_USERNAME,
      password: env.BROKER_INGEST_PASSWORD,
      passwordHash: env.BROKER_INGEST_PASSWORD_HASH,
      read: INGEST_READ_TOPICS,
      write: INGEST_WRITE_TOPICS,
    },
  ];
}
