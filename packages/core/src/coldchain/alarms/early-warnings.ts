import { type Executor, earlyWarnings, notificationOutbox, readings } from "@rantai/db";
import { and, eq, gte, inArray, lte, or, sql } from "drizzle-orm";
import { findUsableStock } from "../../stock/at-risk";
import {
  decideEarlyWarning,
  type EarlyWarningDecision,
  estimateTrend,
  needsEarlyWarningEvaluation,
  type StorageLimits,
  type TEarlyWarningConfig,
  type TrendReading,
  type WarningForecast,
  type WarningLimit,
} from "../early-warning";
import type { ReadingRow } from "../readings-store";
import { centiToCelsius } from "../temperature";
import { LATE_DETECTION_MS } from "./changes";
import type { SensorAlarmContext } from "./context";
import { selectStockAtRisk } from "./stock-at-risk";

/**
 * Early warnings inside ingest's flush, after the alarms (the flush's readings are stored and the
 * sensors locked). A sensor is evaluated only when this flush brought a reading newer than any
 * before it and that reading or the previous latest one lies outside the quiet band; most flushes
 * therefore read nothing. For the sensors that are, two statements read their open warnings and
 * their window of readings; a warning opens, is re-forecast (written only when the forecast moved
 * by FORECAST_MOVE_MS) or ends, and each opening and end goes to notification_outbox in the same
 * transaction under the key `early_warning:{id}:{opened|ended}`, so a retried flush adds none.
 */

const FORECAST_MOVE_MS = 5 * 60_000;
const MINUTE_MS = 60_000;

export const earlyWarningEventKey = (warningId: number, event: "opened" | "ended") =>
  `early_warning:${warningId}:${event}`;
const liveKeyOf = (sensorId: number) => String(sensorId);

type OpenWarning = typeof earlyWarnings.$inferSelect;

export interface EarlyWarningOutcome {
  evaluated: number;
  opened: number;
  ended: number;
}

/** The range the sensor's EXCURSION rule watches; none when that rule is off (e.g. freezers). */
function limitsOf(ctx: SensorAlarmContext): StorageLimits | null {
  const rule = ctx.rules.fold.find((candidate) => candidate.type === "excursion");
  if (!rule?.enabled || !rule.above || !rule.below) return null;
  return { upperCentiC: rule.above.value, lowerCentiC: rule.below.value };
}

interface Candidate {
  ctx: SensorAlarmContext;
  limits: StorageLimits;
  newest: ReadingRow;
}

/** The sensors this flush must evaluate (see above). */
function selectCandidates(
  contexts: ReadonlyMap<number, SensorAlarmContext>,
  bySensor: ReadonlyMap<number, readonly ReadingRow[]>,
  config: TEarlyWarningConfig,
): Candidate[] {
  const candidates: Candidate[] = [];
  for (const [sensorId, rows] of bySensor) {
    const ctx = contexts.get(sensorId);
    const limits = ctx && limitsOf(ctx);
    if (!ctx || !limits) continue;
    const newest = rows.reduce((a, b) => (b.ts > a.ts ? b : a));
    if (ctx.priorLastReadingAt && newest.ts <= ctx.priorLastReadingAt) continue;
    if (needsEarlyWarningEvaluation(newest.tempCentiC, ctx.priorLastTempCentiC, limits, config))
      candidates.push({ ctx, limits, newest });
  }
  return candidates;
}

const WINDOW_CHUNK = 200;

/** Each candidate's window of stored readings, read by primary-key range per sensor. */
async function findWindows(
  db: Executor,
  candidates: readonly Candidate[],
  config: TEarlyWarningConfig,
): Promise<Map<number, TrendReading[]>> {
  const windowMs = config.windowMinutes * MINUTE_MS;
  const windows = new Map<number, TrendReading[]>();
  for (let start = 0; start < candidates.length; start += WINDOW_CHUNK) {
    const ranges = candidates
      .slice(start, start + WINDOW_CHUNK)
      .map(({ ctx, newest }) =>
        and(
          eq(readings.sensorId, ctx.sensorId),
          gte(readings.ts, new Date(newest.ts.getTime() - windowMs)),
          lte(readings.ts, newest.ts),
        ),
      );
    const rows = await db
      .select({ sensorId: readings.sensorId, ts: readings.ts, tempCentiC: readings.tempCentiC })
      .from(readings)
      .where(or(...ranges));
    for (const row of rows) {
      const list = windows.get(row.sensorId) ?? [];
      list.push({ ts: row.ts.getTime(), tempCentiC: row.tempCentiC });
      windows.set(row.sensorId, list);
    }
  }
  return windows;
}

interface WarningEvent {
  event: "opened" | "ended";
  warningId: number;
  ctx: SensorAlarmContext;
  side: WarningLimit;
  limitCentiC: number;
  status: OpenWarning["status"];
  openedAt: Date;
  tempCentiC: number;
  ratePerHourCentiC: number;
  forecastAt: Date;
  predictedBreachAt: Date;
  endedAt: Date | null;
}

/** What the notifier needs to tell the facility, in both languages from its own catalog. */
function earlyWarningPayload(event: WarningEvent, now: Date, stockAtRisk: ReturnType<typeof selectStockAtRisk>) {
  const { ctx } = event;
  return {
    event: event.event,
    earlyWarningId: event.warningId,
    status: event.status,
    facility: { id: ctx.facilityId, name: ctx.facilityName },
    equipment: { id: ctx.equipmentId, name: ctx.equipmentName },
    sensor: { id: ctx.sensorId, deviceId: ctx.deviceId },
    side: event.side,
    limitC: centiToCelsius(event.limitCentiC),
    tempC: centiToCelsius(event.tempCentiC),
    ratePerHourC: centiToCelsius(event.ratePerHourCentiC),
    openedAt: event.openedAt.toISOString(),
    forecastAt: event.forecastAt.toISOString(),
    predictedBreachAt: event.predictedBreachAt.toISOString(),
    minutesLeft: Math.max(0, Math.round((event.predictedBreachAt.getTime() - event.forecastAt.getTime()) / MINUTE_MS)),
    endedAt: event.endedAt?.toISOString() ?? null,
    detectedAt: now.toISOString(),
    stockAtRisk: {
      totalDoses: stockAtRisk.totalDoses,
      items: stockAtRisk.items.map((item) => ({
        itemId: item.itemId,
        code: item.code,
        name: item.name,
        doses: item.doses,
      })),
    },
  };
}
export type EarlyWarningPayload = ReturnType<typeof earlyWarningPayload>;

async function writeEarlyWarningEvents(db: Executor, events: readonly WarningEvent[], now: Date): Promise<void> {
  if (events.length === 0) return;
  const stock = await findUsableStock(
    db,
    events.map((event) => event.ctx.facilityId),
  );
  await db
    .insert(notificationOutbox)
    .values(
      events.map((event) => ({
        kind: `early_warning.${event.event}`,
        orgUnitId: event.ctx.facilityId,
        aggregateType: "early_warning",
        aggregateId: String(event.warningId),
        eventKey: earlyWarningEventKey(event.warningId, event.event),
        payload: earlyWarningPayload(
          event,
          now,
          selectStockAtRisk(
            event.ctx.facilityId,
            event.side === "upper" ? "heat" : "freeze",
            stock.get(event.ctx.facilityId) ?? [],
          ),
        ),
      })),
    )
    .onDuplicateKeyUpdate({ set: { eventKey: sql`${notificationOutbox.eventKey}` } });
}

/** The trend's rate as the SMALLINT column holds it. */
const storedRate = (ratePerHourCentiC: number) => Math.max(-32_768, Math.min(32_767, Math.round(ratePerHourCentiC)));

async function openWarning(
  db: Executor,
  candidate: Candidate,
  forecast: WarningForecast,
  ratePerHourCentiC: number,
  now: Date,
): Promise<WarningEvent> {
  const { ctx, newest } = candidate;
  const values = {
    sensorId: ctx.sensorId,
    equipmentId: ctx.equipmentId,
    facilityId: ctx.facilityId,
    side: forecast.limit,
    limitCentiC: forecast.limitCentiC,
    status: "open" as const,
    liveKey: liveKeyOf(ctx.sensorId),
    openedAt: newest.ts,
    tempCentiC: newest.tempCentiC,
    ratePerHourCentiC: storedRate(ratePerHourCentiC),
    predictedBreachAt: new Date(forecast.breachAt),
    forecastAt: newest.ts,
    detectedAt: now,
    createdAt: now,
    updatedAt: now,
  };
  const [created] = await db.insert(earlyWarnings).values(values).$returningId();
  if (!created) throw new Error("early warning insert returned no id");
  return { ...values, event: "opened", warningId: created.id, ctx, endedAt: null };
}

/** Applies one sensor's decision; returns the event it causes, if any. */
async function applyDecision(
  db: Executor,
  candidate: Candidate,
  open: OpenWarning | undefined,
  decision: EarlyWarningDecision,
  ratePerHourCentiC: number,
  now: Date,
): Promise<WarningEvent | null> {
  const { newest } = candidate;
  if (decision.action === "open") {
    // A buffer flushed long after it was logged tells of the past: nothing to warn about now.
    if (now.getTime() - newest.ts.getTime() > LATE_DETECTION_MS) return null;
    return openWarning(db, candidate, decision.forecast, ratePerHourCentiC, now);
  }
  if (!open) return null;
  if (decision.action === "keep") {
    if (Math.abs(decision.forecast.breachAt - open.predictedBreachAt.getTime()) < FORECAST_MOVE_MS) return null;
    await db
      .update(earlyWarnings)
      .set({ predictedBreachAt: new Date(decision.forecast.breachAt), forecastAt: newest.ts, updatedAt: now })
      .where(eq(earlyWarnings.id, open.id));
    return null;
  }
  if (decision.action !== "end") return null;
  await db
    .update(earlyWarnings)
    .set({ status: decision.reason, liveKey: null, endedAt: newest.ts, updatedAt: now })
    .where(eq(earlyWarnings.id, open.id));
  return {
    event: "ended",
    warningId: open.id,
    ctx: candidate.ctx,
    side: open.side,
    limitCentiC: open.limitCentiC,
    status: decision.reason,
    openedAt: open.openedAt,
    tempCentiC: newest.tempCentiC,
    ratePerHourCentiC: open.ratePerHourCentiC,
    forecastAt: open.forecastAt,
    predictedBreachAt: open.predictedBreachAt,
    endedAt: newest.ts,
  };
}

/** Evaluates the early warnings of this flush's sensors (see above). */
export async function evaluateEarlyWarnings(
  db: Executor,
  contexts: ReadonlyMap<number, SensorAlarmContext>,
  bySensor: ReadonlyMap<number, readonly ReadingRow[]>,
  now: Date,
  config: TEarlyWarningConfig,
): Promise<EarlyWarningOutcome> {
  const outcome: EarlyWarningOutcome = { evaluated: 0, opened: 0, ended: 0 };
  if (!config.enabled) return outcome;
  const candidates = selectCandidates(contexts, bySensor, config);
  if (candidates.length === 0) return outcome;
  const openRows: OpenWarning[] = [];
  for (let start = 0; start < candidates.length; start += WINDOW_CHUNK) {
    const keys = candidates.slice(start, start + WINDOW_CHUNK).map((candidate) => liveKeyOf(candidate.ctx.sensorId));
    openRows.push(...(await db.select().from(earlyWarnings).where(inArray(earlyWarnings.liveKey, keys))));
  }
  const openBySensor = new Map(openRows.map((row) => [row.sensorId, row]));
  const windows = await findWindows(db, candidates, config);
  const events: WarningEvent[] = [];
  for (const candidate of candidates) {
    const open = openBySensor.get(candidate.ctx.sensorId);
    const trend = estimateTrend(windows.get(candidate.ctx.sensorId) ?? [], config);
    const decision = decideEarlyWarning(trend, open ? { limit: open.side } : null, candidate.limits, config);
    const event = await applyDecision(db, candidate, open, decision, trend?.lineRatePerHourCentiC ?? 0, now);
    if (event) events.push(event);
  }
  await writeEarlyWarningEvents(db, events, now);
  outcome.evaluated = candidates.length;
  outcome.opened = events.filter((event) => event.event === "opened").length;
  outcome.ended = events.length - outcome.opened;
  return outcome;
}
