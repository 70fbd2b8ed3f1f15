import type { Clock } from "../../kernel/clock";
import type { TPhotoStorageEnv } from "./config";
import { createLocalPhotoStore, type LocalPhotoStore } from "./local-storage";
import type { PhotoService } from "./photos";
import { createS3PhotoStore } from "./s3-storage";

/**
 * The photo service the configuration names, made once at start-up. For the local store the
 * console also needs the store itself (its route writes and reads the bytes), returned beside.
 */
export function createPhotoService(
  config: TPhotoStorageEnv,
  options: { signingSecret: string; clock: Clock },
): { service: PhotoService; localStore: LocalPhotoStore | null } {
  const limits = { maxBytes: config.PHOTO_MAX_BYTES, urlSeconds: config.PHOTO_URL_SECONDS };
  if (config.PHOTO_STORAGE === "s3") {
    const { PHOTO_S3_ENDPOINT, PHOTO_S3_BUCKET, PHOTO_S3_ACCESS_KEY_ID, PHOTO_S3_SECRET_ACCESS_KEY } = config;
    if (!PHOTO_S3_ENDPOINT || !PHOTO_S3_BUCKET || !PHOTO_S3_ACCESS_KEY_ID || !PHOTO_S3_SECRET_ACCESS_KEY) {
      throw new Error("PHOTO_STORAGE=s3 needs PHOTO_S3_ENDPOINT, PHOTO_S3_BUCKET and its access keys");
    }
    const storage = createS3PhotoStore({
      endpoint: PHOTO_S3_ENDPOINT,
      bucket: PHOTO_S3_BUCKET,
      region: config.PHOTO_S3_REGION,
      accessKeyId: PHOTO_S3_ACCESS_KEY_ID,
      secretAccessKey: PHOTO_S3_SECRET_ACCESS_KEY,
      clock: options.clock,
    });
    return { service: { storage, limits, clock: options.clock }, localStore: null };
  }
  const localStore = createLocalPhotoStore({
    directory: config.PHOTO_LOCAL_DIR,
    signingSecret: config.PHOTO_SIGNING_SECRET ?? options.signingSecret,
  });
  return { service: { storage: localStore.storage, limits, clock: options.clock }, localStore };
}
