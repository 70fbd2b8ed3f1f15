import { z } from "zod";

const MIB = 1024 * 1024;

/**
 * Where photos are stored and how long their signed links live, parsed once by the host process
 * (the console). `local` keeps them on the server's disk and the console serves the signed links
 * itself; `s3` uses any S3-API store through presigned links.
 */
export const photoStorageEnvShape = {
  PHOTO_STORAGE: z.enum(["local", "s3"], { error: "must be local or s3" }).default("local"),
  /** Folder of the local store, relative to the process's working directory unless absolute. */
  PHOTO_LOCAL_DIR: z.string().min(1).default(".data/photos"),
  /** Secret of the local store's link signatures; the console's AUTH_SECRET when not given. */
  PHOTO_SIGNING_SECRET: z.string().min(32, { error: "must be at least 32 characters" }).optional(),
  PHOTO_S3_ENDPOINT: z
    .url({ protocol: /^https?$/, error: "must be the S3 API's address, e.g. https://s3.example.org" })
    .optional(),
  PHOTO_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, { error: "must be an S3 bucket name, e.g. rantai-photos" })
    .optional(),
  PHOTO_S3_REGION: z.string().min(1).default("us-east-1"),
  PHOTO_S3_ACCESS_KEY_ID: z.string().min(1).optional(),
  PHOTO_S3_SECRET_ACCESS_KEY: z.string().min(1).optional(),
  /** Largest photo accepted, in bytes (default 5 MiB; a phone photo is compressed before upload). */
  PHOTO_MAX_BYTES: z.coerce
    .number({ error: "must be a number of bytes, e.g. 5242880" })
    .int()
    .min(1024)
    .max(50 * MIB)
    .default(5 * MIB),
  /** How long an upload or download link stays valid, in seconds. */
  PHOTO_URL_SECONDS: z.coerce
    .number({ error: "must be a number of seconds, e.g. 300" })
    .int()
    .min(10)
    .max(3600)
    .default(300),
};
const photoStorageEnv = z.object(photoStorageEnvShape);
export type TPhotoStorageEnv = z.infer<typeof photoStorageEnv>;

const s3SettingNames = [
  "PHOTO_S3_ENDPOINT",
  "PHOTO_S3_BUCKET",
  "PHOTO_S3_ACCESS_KEY_ID",
  "PHOTO_S3_SECRET_ACCESS_KEY",
] as const;

/**
 * The settings S3 needs, required only when it is chosen. A check for the host's whole schema
 * (`.superRefine(checkPhotoStorageEnv)`), since a refined zod object can no longer be extended.
 */
export function checkPhotoStorageEnv(value: TPhotoStorageEnv, context: z.RefinementCtx): void {
  if (value.PHOTO_STORAGE !== "s3") return;
  for (const name of s3SettingNames) {
    if (!value[name]) context.addIssue({ code: "custom", path: [name], message: "is required when PHOTO_STORAGE=s3" });
  }
}

/** The limits every photo procedure applies, whichever store holds the bytes. */
export interface PhotoLimits {
  maxBytes: number;
  urlSeconds: number;
}
