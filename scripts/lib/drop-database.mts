import { databaseEnv, parseEnv } from "@rantai/db/env";
import { dropDatabase } from "@rantai/db/migrate";

const env = parseEnv(databaseEnv, process.env);
await dropDatabase(env.DATABASE_URL);
