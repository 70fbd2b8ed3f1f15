import { apiEnv } from "@rantai/api/env";
import { checkPhotoStorageEnv } from "@rantai/core/distribution";
import { logEnv } from "@rantai/core/kernel/log-level";
import { parseEnv } from "@rantai/db/env";
import { z } from "zod";

/** The console's configuration, parsed once per server process. */
export const env = parseEnv(
  apiEnv
    .extend({
      AUTH_SECRET: z
        .string({ error: "is required: a random string of at least 32 characters (npm start makes one in .data/)" })
        .min(32, { error: "must be at least 32 characters; generate one with: openssl rand -base64 32" }),
      /** The console's public address; https makes the session cookie Secure (next-auth reads it too). */
      NEXTAUTH_URL: z
        .url({ protocol: /^https?$/, error: "must be the console's address, e.g. https://rantai.example.org" })
        .optional(),
      NODE_ENV: z.enum(["development", "production", "test"]).default("development"),
      ...logEnv,
    })
    .superRefine(checkPhotoStorageEnv),
  process.env,
);
