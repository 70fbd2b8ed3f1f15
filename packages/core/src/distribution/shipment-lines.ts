import { shipmentLines, shipments, type Transaction } from "@rantai/db";
import { z } from "zod";
import { insertId } from "../kernel/db-errors";
import { AppError } from "../kernel/errors";
import { hasDistinct, MAX_LINE_DOSES, ZIdSchema } from "../kernel/schemas";
import { unusableReason } from "../stock/batch-usability";
import type { HeldBatch } from "../stock/permissions";
import { requireWholeVials } from "../stock/quantities";
import type { RouteKind } from "./supply-routes";

export const ZShipmentLinesSchema = z
  .array(z.strictObject({ batchId: ZIdSchema, doses: z.number().int().positive().max(MAX_LINE_DOSES) }))
  .min(1)
  .max(50)
  .refine(hasDistinct("batchId"), { error: "each lot may appear only once" });
export type TShipmentLine = z.infer<typeof ZShipmentLinesSchema>[number];

/**
 * Early checks of draft lines against the sender's stock as it is now, so the user hears about
 * a problem while planning; dispatch checks again under lock, which is what guarantees it.
 * Lines are whole vials; a transfer may not carry expired or VVM-unusable lots (a return may:
 * sending unusable stock back up for disposal is normal practice); lots are not over-allocated.
 */
export function checkDraftLines(
  lines: readonly TShipmentLine[],
  held: ReadonlyMap<number, HeldBatch>,
  kind: RouteKind,
  senderName: string,
  now: Date,
): void {
  const totals = new Map<number, number>();
  for (const line of lines) {
    const lot = held.get(line.batchId);
    if (!lot) throw new Error(`lot ${line.batchId} was checked as held`);
    requireWholeVials(line.doses, lot);
    const reason = kind === "transfer" ? unusableReason(lot, now) : null;
    if (reason) throw new AppError("stock.lot_unusable", reason);
    totals.set(line.batchId, (totals.get(line.batchId) ?? 0) + line.doses);
  }
  for (const [batchId, doses] of totals) {
    const lot = held.get(batchId);
    if (lot && doses > lot.quantity) {
      throw new AppError(
        "stock.insufficient",
        `Only ${lot.quantity} doses of lot ${lot.lotNumber} (${lot.itemName}) are in stock at ${senderName}; the shipment needs ${doses}.`,
      );
    }
  }
}

export type DraftShipment = {
  shipmentId: number;
  senderOrgUnitId: number;
  receiverOrgUnitId: number;
  lines: { shipmentLineId: number; itemId: number; batchId: number; doses: number; vvmStage: number }[];
};

/** Inserts a draft shipment and its lines; each line carries the lot's VVM stage at the sender. */
export async function insertDraftShipment(
  tx: Transaction,
  draft: {
    senderOrgUnitId: number;
    receiverOrgUnitId: number;
    requestId: number | null;
    idempotencyKey: string;
    createdBy: number;
    lines: readonly TShipmentLine[];
    held: ReadonlyMap<number, HeldBatch>;
  },
): Promise<DraftShipment> {
  const { lines, held, ...shipment } = draft;
  const shipmentId = insertId(await tx.insert(shipments).values({ ...shipment, status: "draft" }));
  return {
    shipmentId,
    senderOrgUnitId: draft.senderOrgUnitId,
    receiverOrgUnitId: draft.receiverOrgUnitId,
    lines: await insertShipmentLines(tx, shipmentId, lines, held),
  };
}

/** Inserts a draft's lines, each carrying the lot's VVM stage at the sender. */
export async function insertShipmentLines(
  tx: Transaction,
  shipmentId: number,
  lines: readonly TShipmentLine[],
  held: ReadonlyMap<number, HeldBatch>,
): Promise<DraftShipment["lines"]> {
  const inserted: DraftShipment["lines"] = [];
  for (const line of lines) {
    const lot = held.get(line.batchId);
    if (!lot) throw new Error(`lot ${line.batchId} was checked as held`);
    const values = {
      shipmentId,
      itemId: lot.itemId,
      batchId: line.batchId,
      quantity: line.doses,
      vvmStage: lot.vvmStage,
    };
    const shipmentLineId = insertId(await tx.insert(shipmentLines).values(values));
    inserted.push({
      shipmentLineId,
      itemId: lot.itemId,
      batchId: line.batchId,
      doses: line.doses,
      vvmStage: lot.vvmStage,
    });
  }
  return inserted;
}
