import { randomBytes } from "node:crypto";
import { createDatabase, type DatabaseHandle } from "./client";
import { dropDatabase, migrateDatabase } from "./migrate";

export interface TestDatabase extends DatabaseHandle {
  url: string;
  /** Closes the pool and drops the database. */
  destroy(): Promise<void>;
}

/**
 * A fresh, migrated database of its own for one test file, on the server of `serverUrl`
 * (e.g. mysql://root@127.0.0.1:3306/). Tests never share or mock the database.
 */
export async function createTestDatabase(serverUrl: string, label = "test"): Promise<TestDatabase> {
  const name = `rantai_${label.replace(/[^a-z0-9]/gi, "_").slice(0, 24)}_${randomBytes(4).toString("hex")}`;
  const url = new URL(name, serverUrl.endsWith("/") ? serverUrl : `${serverUrl}/`).toString();
  await migrateDatabase(url);
  const handle = createDatabase({ url, poolSize: 5 });
  return {
    ...handle,
    url,
    async destroy() {
      await handle.close();
      await dropDatabase(url);
    },
  };
}

/** Where integration tests find the real database and Redis (ingest tests start brokers of their own); `npm test` sets these, the defaults suit a developer machine. */
export interface TestServices {
  mysqlServerUrl: string;
  redisUrl: string;
}

export function readTestServices(source: Record<string, string | undefined>): TestServices {
  return {
    mysqlServerUrl: source.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/",
    redisUrl: source.TEST_REDIS_URL ?? "redis://127.0.0.1:6379",
  };
}
