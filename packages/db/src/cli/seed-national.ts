import { parseArgs } from "node:util";
import { z } from "zod";
import { createDatabase } from "../client";
import { databaseEnv, parseEnv } from "../env";
import { formatTable, seedNationalWorld } from "../seed";

/*
 * `npm run db:seed -- --national`: the national dataset (../seed/national.ts) in an already
 * migrated database — give it a database of its own, e.g.
 *   DATABASE_URL=mysql://root@127.0.0.1:3306/rantai_national npm run db:seed -- --national
 * Options: --scale F (0 < F ≤ 1, default 1; 0.01 is the CI size), --seed N (default 1),
 * --full-sensors N (a week raw and a year of rollups; default 1,000 × scale),
 * --rest-days N (raw days for the other sensors; default 1). Safe to run again.
 */
const env = parseEnv(databaseEnv, process.env);
const { values } = parseArgs({
  options: {
    scale: { type: "string", default: "1" },
    seed: { type: "string", default: "1" },
    "full-sensors": { type: "string" },
    "rest-days": { type: "string" },
  },
});
const ZNationalArgsSchema = z.strictObject({
  scale: z.coerce
    .number({ error: "--scale must be a number, e.g. 0.01" })
    .gt(0, "--scale must be above 0")
    .max(1, "--scale is at most 1"),
  seed: z.coerce
    .number()
    .int("--seed must be a whole number, e.g. 1")
    .min(0)
    .max(2 ** 31),
  fullSensors: z.coerce.number().int("--full-sensors must be a whole number").min(0).max(100_000).optional(),
  restDays: z.coerce.number().int("--rest-days must be a whole number of days").min(1).max(30).optional(),
});
const parsed = ZNationalArgsSchema.safeParse({
  scale: values.scale,
  seed: values.seed,
  fullSensors: values["full-sensors"],
  restDays: values["rest-days"],
});
if (!parsed.success) {
  console.error(parsed.error.issues.map((issue) => issue.message).join("\n"));
  process.exit(2);
}

const handle = createDatabase({ url: env.DATABASE_URL, poolSize: Math.max(env.DATABASE_POOL_SIZE, 4) });
try {
  console.log(`National dataset (scale ${parsed.data.scale}, seed ${parsed.data.seed}) …`);
  const summary = await seedNationalWorld(handle.db, { ...parsed.data, log: (line) => console.log(`  ${line}`) });
  const { province, district, facility } = summary.orgUnits;
  console.log(
    [
      "",
      `National dataset seeded in ${(summary.durationMs / 1000).toFixed(1)} s: ${province} provinces, ${district} districts, ${facility} puskesmas`,
      `Temperatures: ${summary.readings.sensorsWritten} sensors written, ${summary.readings.fullSensors} with a week raw and a year of rollups`,
      ...(summary.stockEntriesSkipped > 0
        ? [`Skipped ${summary.stockEntriesSkipped} stock entries (balance below zero).`]
        : []),
      "",
      ...formatTable([["step", "seconds"], ...summary.steps.map((step) => [step.label, (step.ms / 1000).toFixed(1)])]),
      "",
      ...formatTable([
        ["table", "rows", "added"],
        ...Object.entries(summary.tables).map(([name, { total, added }]) => [name, String(total), String(added)]),
      ]),
    ].join("\n"),
  );
} finally {
  await handle.close();
}
