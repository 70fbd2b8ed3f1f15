/**
 * `npm run db:seed`, after the db seed: the demo puskesmas' open stock requests, made through
 * the domain's own `createRequest` (see ../demo-requests.ts). Safe to run again: a rerun adds nothing.
 *   DATABASE_URL=mysql://… npx tsx packages/core/src/distribution/cli/seed-requests.ts
 */
import { createDatabase } from "@rantai/db/client";
import { databaseEnv, parseEnv } from "@rantai/db/env";
import { seedDemoRequests } from "../demo-requests";

const env = parseEnv(databaseEnv, process.env);
const handle = createDatabase({ url: env.DATABASE_URL, poolSize: 1 });
try {
  const { created } = await seedDemoRequests(handle.db);
  console.log(`Demo stock requests: ${created} created.`);
} finally {
  await handle.close();
}
