import { discardReasons } from "@rantai/db";
import { z } from "zod";
import { AppError } from "../kernel/errors";
import { MAX_LINE_DOSES, ZIdSchema, ZNoteSchema } from "../kernel/schemas";
import { requireWholeVials } from "../stock/quantities";

/**
 * What the receiver found per shipment line. Doses that arrived in good condition are received;
 * doses that arrived damaged are received AND discarded at the receiver (so the loss is in the
 * receiver's wastage records, with its reason); doses that never arrived are short: they
 * entered no store and are reported on the receipt as lost in transit. A different lot than the
 * one shipped (same item) is a wrong_batch: the doses are received under the lot that came.
 */
export const ZReceivedLineSchema = z.strictObject({
  shipmentLineId: ZIdSchema,
  receivedDoses: z.number().int().nonnegative().max(MAX_LINE_DOSES),
  damagedDoses: z.number().int().nonnegative().max(MAX_LINE_DOSES).default(0),
  damageReason: z.enum(discardReasons).optional(),
  /** The lot that actually arrived, when it is not the one shipped. */
  receivedBatchId: ZIdSchema.optional(),
  note: ZNoteSchema.optional(),
});
export type TReceivedLine = z.infer<typeof ZReceivedLineSchema>;

export interface ShippedLine {
  id: number;
  itemId: number;
  itemName: string;
  dosesPerVial: number;
  batchId: number;
  quantity: number;
  vvmStage: number;
}

type Discrepancy = "none" | "short" | "damaged" | "wrong_batch";

export type ReceiptRow = {
  shipmentLineId: number;
  batchId: number;
  receivedQuantity: number;
  discrepancy: Discrepancy;
  discrepancyQuantity: number;
  note: string | null;
};
export type ReceivedLineSummary = {
  shipmentLineId: number;
  batchId: number;
  shippedDoses: number;
  receivedDoses: number;
  damagedDoses: number;
  shortDoses: number;
};

export interface ReceiptPlan {
  rows: ReceiptRow[];
  /** Doses entering the receiver's stock per lot: received + damaged. */
  arrivals: { batchId: number; itemId: number; doses: number; vvmStage: number }[];
  damaged: { shipmentLineId: number; batchId: number; itemId: number; doses: number; reason: string }[];
  lines: ReceivedLineSummary[];
  /** Anything short, damaged or of the wrong lot: the sender is told. */
  hasDiscrepancy: boolean;
}

/**
 * Turns the receiver's report into receipt rows and stock movements, checking it: every line of
 * the shipment is reported once (no report = all received as shipped), received + damaged never
 * exceeds what was shipped, quantities are whole vials, a wrong lot is of the same item.
 * `lotItems` maps each `receivedBatchId` to its item.
 */
export function planReceipt(
  shipped: readonly ShippedLine[],
  reported: readonly TReceivedLine[] | undefined,
  lotItems: ReadonlyMap<number, number>,
): ReceiptPlan {
  const byLine = new Map((reported ?? []).map((line) => [line.shipmentLineId, line]));
  const unknown = [...byLine.keys()].find((id) => !shipped.some((line) => line.id === id));
  if (unknown !== undefined)
    throw new AppError("distribution.receipt_line_unknown", `Line ${unknown} is not part of this shipment.`);
  const plan: ReceiptPlan = { rows: [], arrivals: [], damaged: [], lines: [], hasDiscrepancy: false };
  const arrivals = new Map<number, ReceiptPlan["arrivals"][number]>();
  for (const line of shipped) {
    const report = reported ? byLine.get(line.id) : { receivedDoses: line.quantity, damagedDoses: 0 };
    if (!report)
      throw new AppError(
        "distribution.receipt_line_missing",
        `Report every line of the shipment; line ${line.id} is missing.`,
      );
    const received = report.receivedDoses;
    const damaged = report.damagedDoses;
    if (received + damaged > line.quantity) {
      throw new AppError(
        "distribution.receipt_exceeds_shipped",
        `Line ${line.id} (${line.itemName}) shipped ${line.quantity} doses; ${received + damaged} received and damaged is more than that.`,
      );
    }
    requireWholeVials(received, line);
    requireWholeVials(damaged, line);
    const batchId = lotOf(line, "receivedBatchId" in report ? report.receivedBatchId : undefined, lotItems);
    const short = line.quantity - received - damaged;
    const note = "note" in report ? (report.note ?? null) : null;
    const wrongLot = batchId !== line.batchId;
    const row = { shipmentLineId: line.id, batchId, note };
    if (received > 0 || (damaged === 0 && short === 0) || wrongLot) {
      const discrepancy = wrongLot ? "wrong_batch" : "none";
      plan.rows.push({ ...row, receivedQuantity: received, discrepancy, discrepancyQuantity: wrongLot ? received : 0 });
    }
    if (damaged > 0)
      plan.rows.push({ ...row, receivedQuantity: 0, discrepancy: "damaged", discrepancyQuantity: damaged });
    if (short > 0) plan.rows.push({ ...row, receivedQuantity: 0, discrepancy: "short", discrepancyQuantity: short });
    if (received + damaged > 0) {
      const arrival = arrivals.get(batchId) ?? { batchId, itemId: line.itemId, doses: 0, vvmStage: line.vvmStage };
      arrival.doses += received + damaged;
      arrival.vvmStage = Math.max(arrival.vvmStage, line.vvmStage);
      arrivals.set(batchId, arrival);
    }
    if (damaged > 0) {
      const reason = ("damageReason" in report ? report.damageReason : undefined) ?? "broken";
      plan.damaged.push({ shipmentLineId: line.id, batchId, itemId: line.itemId, doses: damaged, reason });
    }
    plan.lines.push({
      shipmentLineId: line.id,
      batchId,
      shippedDoses: line.quantity,
      receivedDoses: received,
      damagedDoses: damaged,
      shortDoses: short,
    });
  }
  plan.arrivals = [...arrivals.values()];
  plan.hasDiscrepancy = plan.rows.some((row) => row.discrepancy !== "none");
  return plan;
}

function lotOf(line: ShippedLine, receivedBatchId: number | undefined, lotItems: ReadonlyMap<number, number>) {
  if (receivedBatchId === undefined || receivedBatchId === line.batchId) return line.batchId;
  if (lotItems.get(receivedBatchId) !== line.itemId) {
    throw new AppError(
      "distribution.receipt_wrong_item",
      `Lot ${receivedBatchId} is not a lot of ${line.itemName}. A wrong lot must be of the item that was shipped.`,
    );
  }
  return receivedBatchId;
}
