import { type Executor, photos, shipmentLines } from "@rantai/db";
import { and, asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { refuse } from "../../kernel/authorization";
import type { Clock } from "../../kernel/clock";
import type { DomainContext } from "../../kernel/context";
import { AppError } from "../../kernel/errors";
import { ZIdempotencyKeySchema, ZIdSchema } from "../../kernel/schemas";
import { requireShipmentAccess, type ShipmentWithParties } from "../access";
import type { PhotoLimits } from "./config";
import { detectImageType, imageSignatureLength, type PhotoContentType, photoContentTypes } from "./image-types";
import { createObjectKey, type PhotoStorage } from "./storage";

/** The photo store, its limits and the clock the links' lifetimes are counted on. */
export interface PhotoService {
  storage: PhotoStorage;
  limits: PhotoLimits;
  clock: Clock;
}

export const ZRequestPhotoUploadSchema = z.strictObject({
  idempotencyKey: ZIdempotencyKeySchema,
  shipmentId: ZIdSchema,
  /** The damaged or short line the photo shows; none for a photo of the whole receipt. */
  shipmentLineId: ZIdSchema.optional(),
  /** Checked against the supported types in the domain, so a refusal carries its own reason. */
  contentType: z.string().trim().min(1).max(100),
  byteSize: z
    .number()
    .int()
    .positive()
    .max(2 ** 31 - 1),
});
export type TRequestPhotoUpload = z.infer<typeof ZRequestPhotoUploadSchema>;

export const ZPhotoIdSchema = z.strictObject({ photoId: ZIdSchema });

type PhotoRow = typeof photos.$inferSelect;

function requireSupportedType(contentType: string): PhotoContentType {
  const supported = photoContentTypes.find((type) => type === contentType.toLowerCase());
  if (supported) return supported;
  throw new AppError("distribution.photo_type_unsupported", "Only JPEG, PNG or WebP photos can be attached.", {
    params: { contentType: contentType.slice(0, 40) },
  });
}

async function requireLineOf(db: Executor, shipmentId: number, shipmentLineId: number | undefined) {
  if (shipmentLineId === undefined) return null;
  const [line] = await db
    .select({ batchId: shipmentLines.batchId })
    .from(shipmentLines)
    .where(and(eq(shipmentLines.id, shipmentLineId), eq(shipmentLines.shipmentId, shipmentId)))
    .limit(1);
  if (line) return line;
  throw new AppError("distribution.receipt_line_unknown", "That line is not part of this shipment.", {
    params: { shipmentLineId },
  });
}

/** What the phone sends the bytes to, or nothing when the photo is already confirmed. */
async function answerFor(service: PhotoService, photo: PhotoRow) {
  if (photo.status === "confirmed") return { photoId: photo.id, status: photo.status, upload: null, expiresAt: null };
  const expiresAt = new Date(service.clock.now().getTime() + service.limits.urlSeconds * 1000);
  const upload = await service.storage.signUpload(photo.objectKey, {
    contentType: photo.contentType,
    byteSize: photo.byteSize,
    expiresAt,
  });
  return { photoId: photo.id, status: photo.status, upload, expiresAt };
}

/**
 * Registers a photo of a received shipment (or one of its lines) and returns a short-lived link
 * for its bytes. The idempotency key is unique on the row: a phone that retries gets the same
 * photo with a fresh link (or "confirmed" when it already went through), never a second one.
 */
export async function requestPhotoUpload(
  request: DomainContext,
  service: PhotoService,
  shipment: ShipmentWithParties,
  input: TRequestPhotoUpload,
) {
  const contentType = requireSupportedType(input.contentType);
  if (input.byteSize > service.limits.maxBytes) {
    throw new AppError("distribution.photo_too_large", "The photo is too large; take it again at a lower resolution.", {
      params: { maxBytes: service.limits.maxBytes, byteSize: input.byteSize },
    });
  }
  if (shipment.shipment.status === "draft" || shipment.shipment.status === "cancelled") {
    throw new AppError(
      "distribution.shipment_status",
      "Photos can be added only to a dispatched or received shipment.",
      {
        params: { status: shipment.shipment.status },
      },
    );
  }
  const line = await requireLineOf(request.db, shipment.shipment.id, input.shipmentLineId);
  await request.db
    .insert(photos)
    .values({
      objectKey: createObjectKey(),
      facilityOrgUnitId: shipment.receiver.id,
      uploadedBy: request.actor.userId,
      shipmentId: shipment.shipment.id,
      shipmentLineId: input.shipmentLineId ?? null,
      batchId: line?.batchId ?? null,
      contentType,
      byteSize: input.byteSize,
      status: "pending",
      idempotencyKey: input.idempotencyKey,
    })
    // A retry with the same key keeps the first row as it is.
    .onDuplicateKeyUpdate({ set: { id: sql`${photos.id}` } });
  const [photo] = await request.db
    .select()
    .from(photos)
    .where(eq(photos.idempotencyKey, input.idempotencyKey))
    .limit(1);
  if (!photo) throw new Error("photo row missing right after its insert");
  const same =
    photo.uploadedBy === request.actor.userId &&
    photo.shipmentId === shipment.shipment.id &&
    photo.shipmentLineId === (input.shipmentLineId ?? null) &&
    photo.contentType === contentType &&
    photo.byteSize === input.byteSize;
  if (!same) {
    throw new AppError("idempotency.payload_mismatch", "This idempotency key was already used for another photo.");
  }
  return answerFor(service, photo);
}

/**
 * A photo the caller may see or add to: it belongs to a shipment whose receiving side is in
 * scope. An unknown id is refused exactly like one out of scope.
 */
export async function requirePhotoAccess(
  request: DomainContext,
  photoId: number,
  access: { action: string; write: boolean },
) {
  const [photo] = await request.db.select().from(photos).where(eq(photos.id, photoId)).limit(1);
  if (!photo) return refuse(request, access.action, { entityType: "photo", entityId: photoId });
  const shipment = await requireShipmentAccess(request, photo.shipmentId, { ...access, side: "receiver" });
  return { photo, shipment };
}

/**
 * Confirms an upload once the store holds exactly the declared size and the bytes really are
 * the declared image type. Anything else is deleted and refused, so the phone does not keep
 * retrying a file the server will never accept. Confirming twice answers the same.
 */
export async function confirmPhotoUpload(request: DomainContext, service: PhotoService, photo: PhotoRow) {
  if (photo.status === "confirmed") return { photoId: photo.id, status: photo.status };
  const stored = await service.storage.findObject(photo.objectKey);
  if (!stored) {
    throw new AppError("distribution.photo_not_uploaded", "The photo has not arrived yet; send it again.");
  }
  const start = await service.storage.readStart(photo.objectKey, imageSignatureLength);
  const actualType = detectImageType(start);
  if (stored.byteSize !== photo.byteSize || actualType !== photo.contentType) {
    await service.storage.deleteObject(photo.objectKey);
    throw new AppError("distribution.photo_content_mismatch", "The file is not the photo that was announced.", {
      params: { byteSize: stored.byteSize, expectedByteSize: photo.byteSize, contentType: actualType ?? "unknown" },
    });
  }
  await request.db
    .update(photos)
    .set({ status: "confirmed", confirmedAt: service.clock.now() })
    .where(and(eq(photos.id, photo.id), eq(photos.status, "pending")));
  return { photoId: photo.id, status: "confirmed" as const };
}

/** Most photos one shipment lists; a receipt has a photo or two per damaged line. */
const maxPhotosListed = 100;

/** A shipment's confirmed photos, each with a download link that expires after the configured seconds. */
export async function findShipmentPhotos(db: Executor, service: PhotoService, shipmentId: number) {
  const rows = await db
    .select()
    .from(photos)
    .where(and(eq(photos.shipmentId, shipmentId), eq(photos.status, "confirmed")))
    .orderBy(asc(photos.id))
    .limit(maxPhotosListed);
  const expiresAt = new Date(service.clock.now().getTime() + service.limits.urlSeconds * 1000);
  const listed = await Promise.all(
    rows.map(async (photo) => ({
      id: photo.id,
      shipmentLineId: photo.shipmentLineId,
      batchId: photo.batchId,
      contentType: photo.contentType,
      byteSize: photo.byteSize,
      createdAt: photo.createdAt,
      download: await service.storage.signDownload(photo.objectKey, { contentType: photo.contentType, expiresAt }),
    })),
  );
  return { photos: listed, expiresAt };
}
