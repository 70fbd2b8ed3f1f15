import { inArray, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { batches } from "../schema";
import { BIO_FARMA } from "./item-catalog";
import type { SeededItem } from "./items";
import { createRandom, type Random } from "./random";

export interface BatchSpec {
  itemCode: string;
  lotNumber: string;
  expiryDate: string;
  manufacturer: string;
}

export interface SeededBatch extends BatchSpec {
  id: number;
  itemId: number;
}

/** Lot-number shapes per maker ('#' a digit, '@' a letter): plausible, not real lots. */
const lotTemplates: Record<string, string> = {
  [BIO_FARMA]: "#######",
  "Serum Institute of India": "0##L####",
  Pfizer: "@@####",
  GSK: "AROL@###",
  MSD: "U0#####",
};

function fillTemplate(template: string, random: Random): string {
  const letters = "ABCDEFGHJKLMNPRSTUVWXYZ";
  return template.replace(/[#@]/g, (slot) => (slot === "#" ? String(random.int(0, 9)) : random.pick([...letters])));
}

/**
 * Days from `now` to each lot's expiry: the first lot expires within 60 days so that expiry
 * warnings have something to show, the others 5–11 and 14–20 months out.
 */
const expiryWindows: readonly [number, number][] = [
  [30, 55],
  [150, 330],
  [420, 600],
];

export function addDays(date: Date, days: number): Date {
  return new Date(date.getTime() + days * 86_400_000);
}

/** 'YYYY-MM-DD' of the UTC date. */
export function isoDate(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Three lots per vaccine and two per diluent. Lot numbers and the day offsets come from a
 * generator keyed by item code, so only the expiry dates move with `now`.
 */
export function planBatches(itemList: readonly SeededItem[], now: Date): BatchSpec[] {
  return itemList.flatMap((item) => {
    if (item.manufacturer === null || (item.kind !== "vaccine" && item.kind !== "diluent")) return [];
    const manufacturer = item.manufacturer;
    const lotCount = item.kind === "vaccine" ? 3 : 2;
    const random = createRandom(`lots:${item.code}`);
    const template = lotTemplates[manufacturer] ?? "@@#####";
    return expiryWindows.slice(0, lotCount).map(([minDays, maxDays]) => ({
      itemCode: item.code,
      lotNumber: fillTemplate(template, random),
      expiryDate: isoDate(addDays(now, random.int(minDays, maxDays))),
      manufacturer,
    }));
  });
}

/**
 * Inserts missing lots (unique per item and lot number); an existing lot keeps its expiry date,
 * so a rerun on a later day changes nothing. Returns the stored lots, earliest expiry first.
 */
export async function seedBatches(
  executor: Executor,
  itemList: readonly SeededItem[],
  specs: readonly BatchSpec[],
): Promise<SeededBatch[]> {
  const itemIds = new Map(itemList.map((item) => [item.code, item.id]));
  const rows = specs.map((spec) => {
    const itemId = itemIds.get(spec.itemCode);
    if (itemId === undefined) throw new Error(`lot ${spec.lotNumber}: unknown item ${spec.itemCode}`);
    return { itemId, lotNumber: spec.lotNumber, expiryDate: spec.expiryDate, manufacturer: spec.manufacturer };
  });
  if (rows.length === 0) return [];
  await executor
    .insert(batches)
    .values(rows)
    .onDuplicateKeyUpdate({ set: { id: sql`id` } });
  const wanted = new Set(rows.map((row) => `${row.itemId}:${row.lotNumber}`));
  const itemCodes = new Map(itemList.map((item) => [item.id, item.code]));
  const stored = await executor
    .select({
      id: batches.id,
      itemId: batches.itemId,
      lotNumber: batches.lotNumber,
      expiryDate: batches.expiryDate,
      manufacturer: batches.manufacturer,
    })
    .from(batches)
    .where(inArray(batches.itemId, [...new Set(rows.map((row) => row.itemId))]));
  return stored
    .filter((row) => wanted.has(`${row.itemId}:${row.lotNumber}`))
    .map((row) => ({ ...row, itemCode: itemCodes.get(row.itemId) ?? "" }))
    .sort((a, b) => a.itemId - b.itemId || a.expiryDate.localeCompare(b.expiryDate) || a.id - b.id);
}
