import { z } from "zod";

/**
 * Parses a process's environment once at start-up. Every process (web, ingest, simulator,
 * scripts, tests) calls this with its own schema; nothing else reads `process.env`.
 * The error names each bad variable, what is wrong, and an example of a good value.
 */
export function parseEnv<T extends z.ZodType>(schema: T, source: Record<string, string | undefined>): z.infer<T> {
  const result = schema.safeParse(source);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => {
    const name = issue.path.join(".") || "(environment)";
    return `  - ${name}: ${issue.message}`;
  });
  throw new Error(`Invalid configuration. Fix these environment variables and start again:\n${lines.join("\n")}`);
}

const mysqlUrl = z
  .string({ error: "is required, e.g. mysql://root@127.0.0.1:3306/rantai" })
  .regex(/^mysql:\/\/[^/]+\/[A-Za-z0-9_]+(\?.*)?$/, {
    error: "must look like mysql://user:password@host:3306/database (database name: letters, digits, _)",
  });

/** The database settings every process that talks to MySQL shares. */
export const databaseEnv = z.object({
  DATABASE_URL: mysqlUrl.default("mysql://root@127.0.0.1:3306/rantai"),
  DATABASE_POOL_SIZE: z.coerce
    .number({ error: "must be a whole number of connections, e.g. 10" })
    .int()
    .min(1)
    .max(200)
    .default(10),
});
export type DatabaseEnv = z.infer<typeof databaseEnv>;
