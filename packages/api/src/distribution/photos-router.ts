import {
  confirmPhotoUpload,
  findShipmentPhotos,
  requestPhotoUpload,
  requirePhotoAccess,
  requireShipmentAccess,
  ZPhotoIdSchema,
  ZRequestPhotoUploadSchema,
} from "@rantai/core/distribution";
import { ZIdSchema } from "@rantai/core/kernel";
import { z } from "zod";
import { protectedProcedure } from "../trpc";

/**
 * Photos of a received shipment or of its damaged lines. The bytes never pass through the API:
 * the receiving side asks for a short-lived upload link, sends the photo there, then confirms;
 * the receiving store and the officers above it list them with short-lived download links.
 */
export const photoProcedures = {
  /** A signed upload link for one photo (JPEG, PNG or WebP, within the size limit); retried safely by its key. */
  requestPhotoUpload: protectedProcedure.input(ZRequestPhotoUploadSchema).mutation(async ({ ctx, input }) => {
    const action = "distribution.requestPhotoUpload";
    const found = await requireShipmentAccess(ctx, input.shipmentId, { action, side: "receiver", write: true });
    return requestPhotoUpload(ctx, ctx.photos, found, input);
  }),

  /** Keeps an uploaded photo once its stored size and bytes match what was announced. */
  confirmPhotoUpload: protectedProcedure.input(ZPhotoIdSchema).mutation(async ({ ctx, input }) => {
    const action = "distribution.confirmPhotoUpload";
    const { photo } = await requirePhotoAccess(ctx, input.photoId, { action, write: true });
    return confirmPhotoUpload(ctx, ctx.photos, photo);
  }),

  /** A shipment's photos with download links that expire within minutes. */
  listShipmentPhotos: protectedProcedure
    .input(z.strictObject({ shipmentId: ZIdSchema }))
    .query(async ({ ctx, input }) => {
      const action = "distribution.listShipmentPhotos";
      const found = await requireShipmentAccess(ctx, input.shipmentId, { action, side: "receiver", write: false });
      return findShipmentPhotos(ctx.db, ctx.photos, found.shipment.id);
    }),
};
