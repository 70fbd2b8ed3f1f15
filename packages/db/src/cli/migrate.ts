import { databaseEnv, parseEnv } from "../env";
import { migrateDatabase } from "../migrate";

const env = parseEnv(databaseEnv, process.env);
await migrateDatabase(env.DATABASE_URL);
console.log(`Database migrated: ${new URL(env.DATABASE_URL).pathname.slice(1)}`);
