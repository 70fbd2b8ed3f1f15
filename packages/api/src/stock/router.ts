import { ZIdSchema } from "@rantai/core/kernel";
import { requireOrgUnitInScope } from "@rantai/core/orgs";
import {
  findBalances,
  findItems,
  findLedgerEntries,
  findStockAtRisk,
  getStockSummary,
  recordAdjustment,
  recordDiscard,
  recordReceipt,
  recordStockCount,
  recordUsage,
  requireLedgerEntryForWriting,
  requireStoreForWriting,
  reverseEntry,
  ZListBalancesSchema,
  ZListItemsSchema,
  ZListLedgerSchema,
  ZRecordAdjustmentSchema,
  ZRecordDiscardSchema,
  ZRecordReceiptSchema,
  ZRecordStockCountSchema,
  ZRecordUsageSchema,
  ZReverseEntrySchema,
  ZStockSummarySchema,
} from "@rantai/core/stock";
import { z } from "zod";
import { createTRPCRouter, protectedProcedure } from "../trpc";

/**
 * The stock ledger's API, for the console and the phone. Each procedure validates its input
 * (strict objects), checks the caller's scope (and role, for changes), and calls one domain
 * function; nested ids (lots, ledger entries) are checked by the domain function.
 */
export const stockRouter = createTRPCRouter({
  /** The item catalogue (reference data for receipt and request forms). */
  listItems: protectedProcedure.input(ZListItemsSchema).query(({ ctx, input }) => findItems(ctx.db, input)),

  /** A store's stock per lot, with expiry and VVM usability. */
  listBalances: protectedProcedure.input(ZListBalancesSchema).query(async ({ ctx, input }) => {
    const store = await requireOrgUnitInScope(ctx, input.orgUnitId ?? ctx.actor.orgUnitId, "stock.listBalances");
    return findBalances(ctx.db, store.id, input);
  }),

  /** A store's stock card: ledger entries, newest first. */
  listLedger: protectedProcedure.input(ZListLedgerSchema).query(async ({ ctx, input }) => {
    const store = await requireOrgUnitInScope(ctx, input.orgUnitId ?? ctx.actor.orgUnitId, "stock.listLedger");
    return findLedgerEntries(ctx.db, store.id, input);
  }),

  /** Per item: SOH, AMC, months of stock, status, suggested order, expiry and wastage. */
  facilitySummary: protectedProcedure.input(ZStockSummarySchema).query(async ({ ctx, input }) => {
    const store = await requireOrgUnitInScope(ctx, input.orgUnitId ?? ctx.actor.orgUnitId, "stock.facilitySummary");
    return getStockSummary(ctx.db, store, input.months);
  }),

  /** Doses at a facility that a fridge alarm puts at risk, by item and lot. */
  stockAtRisk: protectedProcedure.input(z.strictObject({ orgUnitId: ZIdSchema })).query(async ({ ctx, input }) => {
    const store = await requireOrgUnitInScope(ctx, input.orgUnitId, "stock.stockAtRisk");
    return findStockAtRisk(ctx.db, store.id);
  }),

  /** Receipt from outside (manufacturer, UNICEF SD): creates lots, adds doses. */
  recordReceipt: protectedProcedure.input(ZRecordReceiptSchema).mutation(async ({ ctx, input }) => {
    await requireStoreForWriting(ctx, input.orgUnitId, "stock.recordReceipt");
    return recordReceipt(ctx, input);
  }),

  /** Immunization session: vials opened leave stock, doses given are recorded. */
  recordUsage: protectedProcedure.input(ZRecordUsageSchema).mutation(async ({ ctx, input }) => {
    await requireStoreForWriting(ctx, input.orgUnitId, "stock.recordUsage");
    return recordUsage(ctx, input);
  }),

  /** Vials discarded, with a reason per lot. */
  recordDiscard: protectedProcedure.input(ZRecordDiscardSchema).mutation(async ({ ctx, input }) => {
    await requireStoreForWriting(ctx, input.orgUnitId, "stock.recordDiscard");
    return recordDiscard(ctx, input);
  }),

  /** A signed adjustment of one lot with reason and note. */
  recordAdjustment: protectedProcedure.input(ZRecordAdjustmentSchema).mutation(async ({ ctx, input }) => {
    await requireStoreForWriting(ctx, input.orgUnitId, "stock.recordAdjustment");
    return recordAdjustment(ctx, input);
  }),

  /** A physical count: the difference from the balance is posted as a count entry. */
  recordStockCount: protectedProcedure.input(ZRecordStockCountSchema).mutation(async ({ ctx, input }) => {
    await requireStoreForWriting(ctx, input.orgUnitId, "stock.recordStockCount");
    return recordStockCount(ctx, input);
  }),

  /** Cancels a ledger entry with a linked reversal entry (never an edit). */
  reverseEntry: protectedProcedure.input(ZReverseEntrySchema).mutation(async ({ ctx, input }) => {
    const { entry } = await requireLedgerEntryForWriting(ctx, input.entryId, "stock.reverseEntry");
    return reverseEntry(ctx, entry, input);
  }),
});
