import { photoStorageEnvShape } from "@rantai/core/distribution";
import { ZAppVersionSchema } from "@rantai/core/rules";
import { databaseEnv } from "@rantai/db/env";
import { z } from "zod";

/**
 * The oldest phone app version still served unless `MOBILE_MIN_VERSION` says otherwise: the first
 * release (apps/mobile app.json `expo.version`), so no installed app is turned away by default.
 */
export const defaultMobileMinVersion = "0.1.0";

/** What the API needs from its host process (the web app); the host parses it once at start-up. */
export const apiEnv = databaseEnv.extend({
  REDIS_URL: z
    .string()
    .regex(/^rediss?:\/\//, { error: "must look like redis://127.0.0.1:6379" })
    .default("redis://127.0.0.1:6379"),
  /**
   * Prefix of the background job queues in Redis; web and worker of one installation use the same,
   * installations sharing a Redis server each their own.
   */
  JOB_QUEUE_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,40}$/, { error: "must be 1-40 letters, digits, '_' or '-', e.g. rantai" })
    .default("rantai"),
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
  /**
   * How many proxies of the operator's own stand in front of the app, each appending to
   * X-Forwarded-For. 0 (the default) ignores the header, which any client can forge; with N the
   * client's address is the Nth entry from the right. Used for the audit log and sign-in limits.
   */
  TRUSTED_PROXY_HOPS: z.coerce
    .number({ error: "must be a whole number of proxies, e.g. 1 behind one reverse proxy" })
    .int({ error: "must be a whole number of proxies, e.g. 1 behind one reverse proxy" })
    .min(0)
    .max(10, { error: "must be at most 10" })
    .default(0),
  /**
   * The oldest phone app version the server still serves; older apps are told at sign-in to
   * update. Raise it when a release changes what the phone sends.
   */
  MOBILE_MIN_VERSION: ZAppVersionSchema.default(defaultMobileMinVersion),
  /** Photo storage (local disk or S3), sizes and link lifetimes; the host adds `checkPhotoStorageEnv`. */
  ...photoStorageEnvShape,
});
export type ApiEnv = z.infer<typeof apiEnv>;
