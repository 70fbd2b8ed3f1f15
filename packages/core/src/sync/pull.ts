import {
  alarms,
  batches,
  type Executor,
  items,
  type OrgUnit,
  orgUnits,
  shipmentLines,
  shipments,
  stockBalances,
  stockConsumptionRates,
  stockLedger,
  stockLevels,
  stockRequestLines,
  stockRequests,
} from "@rantai/db";
import { and, asc, desc, eq, gt, gte, inArray, ne, or } from "drizzle-orm";
import { z } from "zod";
import { findEarlierReadings } from "../coldchain/fridge-trend";
import { findFridges } from "../coldchain/fridges";
import { DAY_MS } from "../coldchain/rollups";
import { REQUEST_AMC_MONTHS } from "../distribution/requests";
import type { DomainContext } from "../kernel/context";
import { ZIdSchema } from "../kernel/schemas";
import { wibDate } from "../stock/batch-usability";
import { findItems } from "../stock/items";
import { findStockLevelSettings } from "../stock/level-settings";
import { getStockSummary } from "../stock/summary";
import { findSyncClientProgress, findSyncRejections } from "./clients";
import { MAX_SYNC_ACTIONS } from "./push";

/** Ledger entries per page; the phone asks again while `hasMore`. */
export const MAX_PULL_ENTRIES = 1000;
/** How far back an updated shipment, request or alarm is sent again, for clocks of commits that overlap a pull. */
const STATE_OVERLAP_MS = 120_000;
/** Bounds of the small state sets one pull carries (a facility has a handful of each). */
const MAX_STATE_ROWS = 500;
/** How far back a whole-state pull sends ended alarms, for the fridge's alarm history on the phone. */
export const ALARM_HISTORY_DAYS = 30;

const ZCursorStateSchema = z.strictObject({
  /** The last ledger entry of this facility the client holds. */
  ledgerId: z.number().int().nonnegative(),
  /** Server time (ms) of the pull that made this cursor: states updated since are sent again. */
  since: z.number().int().nonnegative(),
});
type CursorState = z.infer<typeof ZCursorStateSchema>;

/** The opaque cursor: base64url JSON, validated on the way in like any other input. */
const ZSyncCursorSchema = z
  .string()
  .max(200)
  .transform((text, check) => {
    try {
      const parsed = ZCursorStateSchema.safeParse(JSON.parse(Buffer.from(text, "base64url").toString("utf8")));
      if (parsed.success) return parsed.data;
    } catch {
      // falls through to the issue below
    }
    check.addIssue({ code: "custom", message: "cursor is not one this server gave" });
    return z.NEVER;
  });

export const ZSyncPullSchema = z.strictObject({
  orgUnitId: ZIdSchema,
  /** From the previous answer; left out on the first pull, which sends the whole current state. */
  cursor: ZSyncCursorSchema.optional(),
  limit: z.number().int().min(1).max(MAX_PULL_ENTRIES).default(500),
  /**
   * The phone's client, to learn how far the server settled its actions (an answer lost in a
   * crash is made good here), with the last number the phone already holds an answer for.
   */
  client: z
    .strictObject({
      clientId: z.uuid(),
      answeredThrough: z.number().int().min(0).max(2_000_000_000),
    })
    .optional(),
});
export type TSyncPull = z.input<typeof ZSyncPullSchema>;
type TSyncPullParsed = z.output<typeof ZSyncPullSchema>;

function encodeCursor(state: CursorState): string {
  return Buffer.from(JSON.stringify(state), "utf8").toString("base64url");
}

/**
 * What changed at a facility after a cursor, for the phone's local store.
 *
 * The ledger is the change sequence: every movement of a store is inserted while the store's row
 * is locked (stock/ledger.ts), so a store's entry ids grow in commit order and an entry not yet
 * committed always comes after every one a pull can see. The cursor is therefore the last entry
 * id read, and resuming from it loses nothing and repeats nothing. Balances come for the lots
 * those entries moved (all lots on the first pull). Shipments to the facility, its requests and
 * its alarms come when updated since the previous pull (with an overlap, as their clocks are
 * not a sequence; the client upserts them by id; the first pull sends the live alarms and those
 * of the last 30 days, the fridges' alarm history) — shipments with their sender's name and lines,
 * so a delivery can be received offline; each request with its lines; fridges with their latest
 * reading and the one from half an hour before it (for the trend) always, as their temperature
 * changes every minute; the facility's average monthly consumption per item (refreshed by a job,
 * a few rows) always; the item catalogue and stock levels on the first pull and whenever one of
 * them was edited since; the figures behind a request's suggested order (see `findItemFigures`)
 * when they may have changed.
 * The small sets (`states`) ride on the last page only (null before), so a paged pull sends each once.
 * The caller has authorized `stock.read` on the facility.
 */
export async function pullSyncChanges(
  ctx: DomainContext<Executor>,
  facility: OrgUnit,
  input: TSyncPullParsed,
  now = new Date(),
) {
  const { db } = ctx;
  // Read before the ledger: every action settled by then has its entries in this pull or a later page.
  const client = input.client ? await findClientSettlement(ctx, input.client) : null;
  // `since` 0: the first pull is still paging, so its last page carries the full state sets.
  const first = input.cursor === undefined || input.cursor.since === 0;
  const after = input.cursor?.ledgerId ?? 0;
  const rows = await db
    .select({
      id: stockLedger.id,
      itemId: stockLedger.itemId,
      batchId: stockLedger.batchId,
      movementType: stockLedger.movementType,
      quantity: stockLedger.quantity,
      balanceAfter: stockLedger.balanceAfter,
      dosesAdministered: stockLedger.dosesAdministered,
      reason: stockLedger.reason,
      shipmentId: stockLedger.shipmentId,
      reversesEntryId: stockLedger.reversesEntryId,
      note: stockLedger.note,
      idempotencyKey: stockLedger.idempotencyKey,
      occurredAt: stockLedger.occurredAt,
      recordedAt: stockLedger.recordedAt,
    })
    .from(stockLedger)
    .where(and(eq(stockLedger.orgUnitId, facility.id), gt(stockLedger.id, after)))
    .orderBy(asc(stockLedger.id))
    .limit(input.limit + 1);
  const hasMore = rows.length > input.limit;
  const ledger = rows.slice(0, input.limit);
  const ledgerId = ledger.at(-1)?.id ?? after;
  const movedLots = [...new Set(ledger.map((entry) => entry.batchId))];
  const balances = await findFacilityBalances(db, facility.id, input.cursor === undefined ? null : movedLots);
  const since = first || input.cursor === undefined ? null : new Date(input.cursor.since - STATE_OVERLAP_MS);
  const states = hasMore ? null : await findStates(db, facility, since, first, now);
  // A later page of the same pull keeps the previous `since`, so the last page still sends what changed.
  const cursor = encodeCursor({ ledgerId, since: hasMore ? (input.cursor?.since ?? 0) : now.getTime() });
  return { cursor, hasMore, full: first, serverTime: now, client, ledger, balances, states };
}
export type TSyncPullResult = Awaited<ReturnType<typeof pullSyncChanges>>;

/**
 * How far the server settled the client's actions: its last number, and the refusals recorded
 * after the number the phone holds answers for (at most one push's worth: `settledThrough` is the
 * last number these cover, so the phone may drop its actions up to it, each applied or refused).
 */
async function findClientSettlement(
  ctx: DomainContext<Executor>,
  client: { clientId: string; answeredThrough: number },
) {
  const lastMutationId = await findSyncClientProgress(ctx, client.clientId);
  const rejections = await findSyncRejections(ctx.db, client.clientId, {
    after: client.answeredThrough,
    through: lastMutationId,
    limit: MAX_SYNC_ACTIONS,
  });
  const full = rejections.length < MAX_SYNC_ACTIONS;
  const settledThrough = full ? lastMutationId : (rejections.at(-1)?.mutationId ?? lastMutationId);
  return { lastMutationId, settledThrough, rejections };
}

/** The facility's balances of some lots (every lot in stock when `batchIds` is null), with each lot's facts. */
async function findFacilityBalances(db: Executor, orgUnitId: number, batchIds: readonly number[] | null) {
  if (batchIds !== null && batchIds.length === 0) return [];
  return db
    .select({
      batchId: stockBalances.batchId,
      itemId: stockBalances.itemId,
      lotNumber: batches.lotNumber,
      expiryDate: batches.expiryDate,
      vvmStage: stockBalances.vvmStage,
      quantity: stockBalances.quantity,
      updatedAt: stockBalances.updatedAt,
    })
    .from(stockBalances)
    .innerJoin(batches, eq(batches.id, stockBalances.batchId))
    .where(
      and(
        eq(stockBalances.orgUnitId, orgUnitId),
        // The whole state is the lots in stock (a store's emptied lots of past years stay behind);
        // a lot that runs out later comes with the entry that emptied it.
        batchIds === null ? ne(stockBalances.quantity, 0) : inArray(stockBalances.batchId, [...batchIds]),
      ),
    )
    .orderBy(asc(stockBalances.batchId));
}

/** The small state sets: what changed since `since` (everything live, and the recent alarms, when null). */
async function findStates(db: Executor, facility: OrgUnit, since: Date | null, first: boolean, now: Date) {
  const [incomingShipments, requestRows, openAlarms, fridges] = await Promise.all([
    db
      .select({
        id: shipments.id,
        status: shipments.status,
        requestId: shipments.requestId,
        senderOrgUnitId: shipments.senderOrgUnitId,
        senderName: orgUnits.name,
        dispatchedAt: shipments.dispatchedAt,
        receivedAt: shipments.receivedAt,
        updatedAt: shipments.updatedAt,
      })
      .from(shipments)
      .innerJoin(orgUnits, eq(orgUnits.id, shipments.senderOrgUnitId))
      .where(
        and(
          eq(shipments.receiverOrgUnitId, facility.id),
          ne(shipments.status, "draft"),
          since === null ? eq(shipments.status, "dispatched") : gte(shipments.updatedAt, since),
        ),
      )
      .orderBy(asc(shipments.id))
      .limit(MAX_STATE_ROWS),
    db
      .select({
        id: stockRequests.id,
        status: stockRequests.status,
        supplierOrgUnitId: stockRequests.supplierOrgUnitId,
        submittedAt: stockRequests.submittedAt,
        decidedAt: stockRequests.decidedAt,
        rejectionReason: stockRequests.rejectionReason,
        updatedAt: stockRequests.updatedAt,
      })
      .from(stockRequests)
      .where(
        and(
          eq(stockRequests.requesterOrgUnitId, facility.id),
          since === null
            ? inArray(stockRequests.status, ["draft", "submitted", "approved"])
            : gte(stockRequests.updatedAt, since),
        ),
      )
      .orderBy(asc(stockRequests.id))
      .limit(MAX_STATE_ROWS),
    db
      .select({
        id: alarms.id,
        equipmentId: alarms.equipmentId,
        sensorId: alarms.sensorId,
        type: alarms.type,
        status: alarms.status,
        startedAt: alarms.startedAt,
        endedAt: alarms.endedAt,
        durationSeconds: alarms.durationSeconds,
        peakCentiC: alarms.peakCentiC,
        minCentiC: alarms.minCentiC,
        acknowledgedAt: alarms.acknowledgedAt,
        acknowledgementComment: alarms.acknowledgementComment,
        updatedAt: alarms.updatedAt,
      })
      .from(alarms)
      .where(
        and(
          eq(alarms.facilityId, facility.id),
          or(
            inArray(alarms.status, ["open", "acknowledged"]),
            since === null
              ? gte(alarms.startedAt, new Date(now.getTime() - ALARM_HISTORY_DAYS * DAY_MS))
              : gte(alarms.updatedAt, since),
          ),
        ),
      )
      // Newest first, so the bound keeps the recent history.
      .orderBy(desc(alarms.id))
      .limit(MAX_STATE_ROWS),
    findFridges(db, facility.path, { limit: 100 }),
  ]);
  const [linesOf, earlier, consumption] = await Promise.all([
    findShipmentLines(
      db,
      incomingShipments.map((shipment) => shipment.id),
    ),
    findEarlierReadings(db, fridges.items),
    db
      .select({
        itemId: stockConsumptionRates.itemId,
        averageMonthlyConsumption: stockConsumptionRates.averageMonthlyConsumption,
      })
      .from(stockConsumptionRates)
      .where(eq(stockConsumptionRates.orgUnitId, facility.id))
      .limit(MAX_STATE_ROWS),
  ]);
  const reference =
    first || (await referenceChangedSince(db, facility, since)) ? await findReference(db, facility) : null;
  const [requests, itemFigures] = await Promise.all([
    withRequestLines(db, requestRows),
    reference !== null || (await figuresMayHaveChanged(db, facility, since, now))
      ? findItemFigures(db, facility, now)
      : null,
  ]);
  return {
    incomingShipments: incomingShipments.map((shipment) => ({ ...shipment, lines: linesOf.get(shipment.id) ?? [] })),
    requests,
    alarms: openAlarms,
    fridges: fridges.items.map((fridge) => ({
      ...fridge,
      earlier: fridge.sensorId === null ? null : (earlier.get(fridge.sensorId) ?? null),
    })),
    consumption,
    reference,
    itemFigures,
  };
}

/** The lines of some shipments (item, lot, expiry, VVM, doses), by shipment: what the receipt form counts. */
async function findShipmentLines(db: Executor, shipmentIds: readonly number[]) {
  const rows =
    shipmentIds.length === 0
      ? []
      : await db
          .select({
            shipmentId: shipmentLines.shipmentId,
            id: shipmentLines.id,
            itemId: shipmentLines.itemId,
            itemName: items.name,
            batchId: shipmentLines.batchId,
            lotNumber: batches.lotNumber,
            expiryDate: batches.expiryDate,
            vvmStage: shipmentLines.vvmStage,
            doses: shipmentLines.quantity,
          })
          .from(shipmentLines)
          .innerJoin(items, eq(items.id, shipmentLines.itemId))
          .innerJoin(batches, eq(batches.id, shipmentLines.batchId))
          .where(inArray(shipmentLines.shipmentId, [...shipmentIds]))
          .orderBy(asc(shipmentLines.id));
  const byShipment = new Map<number, Omit<(typeof rows)[number], "shipmentId">[]>();
  for (const { shipmentId, ...line } of rows) byShipment.set(shipmentId, [...(byShipment.get(shipmentId) ?? []), line]);
  return byShipment;
}

/** Each request with what it asks for and what was approved, so the phone lists them offline. */
async function withRequestLines<Row extends { id: number }>(db: Executor, requests: readonly Row[]) {
  const lines =
    requests.length === 0
      ? []
      : await db
          .select({
            requestId: stockRequestLines.requestId,
            itemId: stockRequestLines.itemId,
            requestedDoses: stockRequestLines.requestedDoses,
            approvedDoses: stockRequestLines.approvedDoses,
          })
          .from(stockRequestLines)
          .where(
            inArray(
              stockRequestLines.requestId,
              requests.map((request) => request.id),
            ),
          )
          .orderBy(asc(stockRequestLines.id));
  return requests.map((request) => ({
    ...request,
    lines: lines.filter((line) => line.requestId === request.id).map(({ requestId: _, ...line }) => line),
  }));
}

/**
 * The facility's average monthly consumption and min/max months per item it holds, as a request
 * computes its suggestion (`createRequest`: the stock summary over REQUEST_AMC_MONTHS), so the
 * phone suggests the same quantity offline with `suggestedOrderDoses` from the pure rules.
 */
async function findItemFigures(db: Executor, facility: OrgUnit, now: Date) {
  const summary = await getStockSummary(db, facility, REQUEST_AMC_MONTHS, now);
  return summary.items.map((item) => ({
    itemId: item.itemId,
    averageMonthlyConsumption: item.averageMonthlyConsumption,
    minMonths: item.minMonths,
    maxMonths: item.maxMonths,
  }));
}

/**
 * The figures follow the ledger and the calendar (the window slides by the day), so they are
 * computed again only when an entry was recorded since the previous pull or its day has passed:
 * a phone pulling every minute does not recompute three months of ledger each time.
 */
async function figuresMayHaveChanged(db: Executor, facility: OrgUnit, since: Date | null, now: Date) {
  if (since === null || wibDate(since) !== wibDate(now)) return true;
  const [entry] = await db
    .select({ id: stockLedger.id })
    .from(stockLedger)
    .where(and(eq(stockLedger.orgUnitId, facility.id), gte(stockLedger.recordedAt, since)))
    .limit(1);
  return entry !== undefined;
}

/**
 * Whether an item or one of the facility's stock levels was edited since `since` (then the
 * reference data is sent again). The catalogue is a few dozen rows; the levels are read by the
 * facility's primary-key prefix.
 */
async function referenceChangedSince(db: Executor, facility: OrgUnit, since: Date | null): Promise<boolean> {
  if (since === null) return true;
  const [item] = await db.select({ id: items.id }).from(items).where(gte(items.updatedAt, since)).limit(1);
  if (item) return true;
  const [level] = await db
    .select({ id: stockLevels.itemId })
    .from(stockLevels)
    .where(and(eq(stockLevels.orgUnitId, facility.id), gte(stockLevels.updatedAt, since)))
    .limit(1);
  return level !== undefined;
}

/** The item catalogue and the stock levels that apply to the facility: reference data, sent once. */
async function findReference(db: Executor, facility: OrgUnit) {
  const catalogue = await findItems(db, { limit: 100 });
  const levels = await findStockLevelSettings(db, facility);
  return { items: catalogue.items, levels };
}
