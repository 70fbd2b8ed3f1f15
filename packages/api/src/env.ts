import { databaseEnv } from "@rantai/db/env";
import { z } from "zod";

/** What the API needs from its host process (the web app); the host parses it once at start-up. */
export const apiEnv = databaseEnv.extend({
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { error: "must look like redis://127.0.0.1:6379" })
    .default("redis://127.0.0.1:6379"),
  /** Origins (besides the console itself) allowed to call the API from a browser: the phone app's web build. */
  API_ALLOWED_ORIGINS: z
    .string()
    .default("http://localhost:8081")
    .transform((value) =>
      value
        .split(",")
        .map((origin) => origin.trim())
        .filter(Boolean),
    ),
});
export type ApiEnv = z.infer<typeof apiEnv>;
