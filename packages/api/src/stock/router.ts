import { authorizeOrgUnit, ZIdSchema } from "@rantai/core/kernel";
import {
  findBalances,
  findConsumptionTrend,
  findItems,
  findLedgerEntries,
  findStockAtRisk,
  findStockLevelSettings,
  getStockSummary,
  recordAdjustment,
  recordDiscard,
  recordReceipt,
  recordStockCount,
  recordUsage,
  requireLedgerEntryForWriting,
  reverseEntry,
  setStockLevel,
  ZConsumptionTrendSchema,
  ZListBalancesSchema,
  ZListItemsSchema,
  ZListLedgerSchema,
  ZListStockLevelSettingsSchema,
  ZRecordAdjustmentSchema,
  ZRecordDiscardSchema,
  ZRecordReceiptSchema,
  ZRecordStockCountSchema,
  ZRecordUsageSchema,
  ZReverseEntrySchema,
  ZSetStockLevelSchema,
  ZStockSummarySchema,
} from "@rantai/core/stock";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "../trpc";

/**
 * The stock ledger's API, for the console and the phone. Each procedure validates its input
 * (strict objects), authorizes its right on the store or ledger entry it names (the one step in
 * kernel/authorization), and calls one domain function; the lots a change names are checked by
 * the domain function, inside its work, through the same step.
 */
export const stockRouter = createTRPCRouter({
  /** The item catalogue (reference data for receipt and request forms). */
  listItems: protectedProcedure.input(ZListItemsSchema).query(({ ctx, input }) => findItems(ctx.db, input)),

  /** A store's stock per lot, with expiry and VVM usability. */
  listBalances: protectedProcedure.input(ZListBalancesSchema).query(async ({ ctx, input }) => {
    const store = await authorizeOrgUnit(
      ctx,
      "stock.read",
      "stock.listBalances",
      input.orgUnitId ?? ctx.actor.orgUnitId,
    );
    return findBalances(ctx.db, store.id, input);
  }),

  /** A store's stock card: ledger entries, newest first. */
  listLedger: protectedProcedure.input(ZListLedgerSchema).query(async ({ ctx, input }) => {
    const store = await authorizeOrgUnit(ctx, "stock.read", "stock.listLedger", input.orgUnitId ?? ctx.actor.orgUnitId);
    return findLedgerEntries(ctx.db, store.id, input);
  }),

  /** Per item: SOH, AMC, months of stock, status, suggested order, expiry and wastage. */
  facilitySummary: protectedProcedure.input(ZStockSummarySchema).query(async ({ ctx, input }) => {
    const store = await authorizeOrgUnit(
      ctx,
      "stock.read",
      "stock.facilitySummary",
      input.orgUnitId ?? ctx.actor.orgUnitId,
    );
    return getStockSummary(ctx.db, store, input.months);
  }),

  /** Consumption and wastage per calendar month and item, on the store's clock. */
  consumptionTrend: protectedProcedure.input(ZConsumptionTrendSchema).query(async ({ ctx, input }) => {
    const store = await authorizeOrgUnit(ctx, "stock.read", "stock.consumptionTrend", input.orgUnitId);
    return findConsumptionTrend(ctx.db, store, input.months);
  }),

  /** Doses at a facility that a fridge alarm puts at risk, by item and lot. */
  stockAtRisk: protectedProcedure.input(z.strictObject({ orgUnitId: ZIdSchema })).query(async ({ ctx, input }) => {
    const store = await authorizeOrgUnit(ctx, "stock.read", "stock.stockAtRisk", input.orgUnitId);
    return findStockAtRisk(ctx.db, store.id);
  }),

  /** Receipt from outside (manufacturer, UNICEF SD): creates lots, adds doses. */
  recordReceipt: protectedProcedure.input(ZRecordReceiptSchema).mutation(async ({ ctx, input }) => {
    await authorizeOrgUnit(ctx, "stock.write", "stock.recordReceipt", input.orgUnitId);
    return recordReceipt(ctx, input);
  }),

  /** Immunization session: vials opened leave stock, doses given are recorded. */
  recordUsage: protectedProcedure.input(ZRecordUsageSchema).mutation(async ({ ctx, input }) => {
    await authorizeOrgUnit(ctx, "stock.write", "stock.recordUsage", input.orgUnitId);
    return recordUsage(ctx, input);
  }),

  /** Vials discarded, with a reason per lot. */
  recordDiscard: protectedProcedure.input(ZRecordDiscardSchema).mutation(async ({ ctx, input }) => {
    await authorizeOrgUnit(ctx, "stock.write", "stock.recordDiscard", input.orgUnitId);
    return recordDiscard(ctx, input);
  }),

  /** A signed adjustment of one lot with reason and note. */
  recordAdjustment: protectedProcedure.input(ZRecordAdjustmentSchema).mutation(async ({ ctx, input }) => {
    await authorizeOrgUnit(ctx, "stock.write", "stock.recordAdjustment", input.orgUnitId);
    return recordAdjustment(ctx, input);
  }),

  /** A physical count: the difference from the balance is posted as a count entry. */
  recordStockCount: protectedProcedure.input(ZRecordStockCountSchema).mutation(async ({ ctx, input }) => {
    await authorizeOrgUnit(ctx, "stock.write", "stock.recordStockCount", input.orgUnitId);
    return recordStockCount(ctx, input);
  }),

  /** Cancels a ledger entry with a linked reversal entry (never an edit). */
  reverseEntry: protectedProcedure.input(ZReverseEntrySchema).mutation(async ({ ctx, input }) => {
    const { entry } = await requireLedgerEntryForWriting(ctx, input.entryId, "stock.reverseEntry");
    return reverseEntry(ctx, entry, input);
  }),

  /** Min/max months of stock per level and vaccine over the actor's scope (or a unit in it). */
  listStockLevels: protectedProcedure.input(ZListStockLevelSettingsSchema).query(async ({ ctx, input }) => {
    const scope = await authorizeOrgUnit(
      ctx,
      "stock.read",
      "stock.listStockLevels",
      input.orgUnitId ?? ctx.actor.orgUnitId,
    );
    return findStockLevelSettings(ctx.db, scope);
  }),

  /** Sets one vaccine's min/max months for every store of a level under the scope. */
  setStockLevel: protectedProcedure.input(ZSetStockLevelSchema).mutation(async ({ ctx, input }) => {
    const scope = await authorizeOrgUnit(
      ctx,
      "stock.levels.manage",
      "stock.setStockLevel",
      input.orgUnitId ?? ctx.actor.orgUnitId,
    );
    return setStockLevel(ctx, scope, input);
  }),
});
