import { createTestDatabase, readTestServices, type TestDatabase } from "@rantai/db/testing";

/** A database of its own for one orgs test file, on the test MariaDB (`TEST_MYSQL_URL`). */
export function createOrgsTestDatabase(label: string): Promise<TestDatabase> {
  return createTestDatabase(readTestServices(process.env).mysqlServerUrl, label);
}
