import { defineConfig } from "drizzle-kit";

// Only `generate` runs through drizzle-kit, which needs no connection; migrations are applied
// by src/migrate.ts so that start-up, tests and CI share one code path.
export default defineConfig({
  dialect: "mysql",
  schema: "./src/schema/index.ts",
  out: "./migrations",
  casing: "snake_case",
});
