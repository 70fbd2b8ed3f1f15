import type { AlarmType, alarmRules, equipmentKinds } from "@rantai/db";

/**
 * Alarm rules: what counts as "out of range" for each alarm type, and for how long. Defaults
 * follow docs/sensor-protocol.md ("Alarms") and the shared vaccine domain reference §1; each
 * equipment may override them with an `alarm_rules` row.
 *
 * Comparisons (temperatures in hundredths of a degree, exact integers):
 * - HEAT       out when temp > +800 (strict: +8.00 °C itself is in range), for 10 h.
 * - FREEZE     out when temp ≤ −50 (inclusive: −0.50 °C itself is out), for 60 min.
 * - EXCURSION  out when temp < +200 or temp > +800 (both limits in range), for 60 min.
 * - LOW_BATTERY out when batteryPct < 20; once low, back to normal only at ≥ 25 (hysteresis).
 * - NO_DATA    no reading for max(60 min, 2 × the sensor's interval), device time vs server now.
 */

/** The types evaluated by folding readings; NO_DATA is evaluated by a timer instead. */
export type FoldAlarmType = Exclude<AlarmType, "no_data">;
export const foldAlarmTypes = ["heat", "freeze", "excursion", "low_battery"] as const satisfies FoldAlarmType[];

export interface Limit {
  /** Hundredths of a degree (temperature rules) or whole percent (battery). */
  value: number;
  /** Whether a reading exactly at the limit is out of range. */
  inclusive: boolean;
}

export interface AlarmRule {
  type: FoldAlarmType;
  enabled: boolean;
  /** What the rule looks at: the temperature or the battery level of each reading. */
  measure: "temperature" | "battery";
  /** Out of range above this limit. */
  above: Limit | null;
  /** Out of range below this limit. */
  below: Limit | null;
  /**
   * Once out of range, a reading must be this far back inside a limit to end the episode
   * (0 for temperatures, where every in-range reading resets the count; 5 % for the battery).
   */
  hysteresis: number;
  /** An episode raises the alarm when (last − first out-of-range reading) reaches this. */
  durationMs: number;
}

const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

export const defaultAlarmRules: Readonly<Record<FoldAlarmType, AlarmRule>> = {
  heat: {
    type: "heat",
    enabled: true,
    measure: "temperature",
    above: { value: 800, inclusive: false },
    below: null,
    hysteresis: 0,
    durationMs: 10 * HOUR_MS,
  },
  freeze: {
    type: "freeze",
    enabled: true,
    measure: "temperature",
    above: null,
    below: { value: -50, inclusive: true },
    hysteresis: 0,
    durationMs: 60 * MINUTE_MS,
  },
  excursion: {
    type: "excursion",
    enabled: true,
    measure: "temperature",
    above: { value: 800, inclusive: false },
    below: { value: 200, inclusive: false },
    hysteresis: 0,
    durationMs: 60 * MINUTE_MS,
  },
  low_battery: {
    type: "low_battery",
    enabled: true,
    measure: "battery",
    above: null,
    below: { value: 20, inclusive: false },
    hysteresis: 5,
    durationMs: 0,
  },
};

/** The NO_DATA wait: max(60 min, 2 × the sensor's logging interval), unless a rule overrides it. */
export function noDataThresholdMs(expectedIntervalSeconds: number, overrideSeconds?: number | null): number {
  if (overrideSeconds !== undefined && overrideSeconds !== null) return overrideSeconds * 1000;
  return Math.max(60 * MINUTE_MS, 2 * expectedIntervalSeconds * 1000);
}

export type AlarmRuleRow = Pick<
  typeof alarmRules.$inferSelect,
  "type" | "thresholdCentiC" | "thresholdInclusive" | "durationSeconds" | "enabled"
>;
export type EquipmentKind = (typeof equipmentKinds)[number];

export interface SensorRules {
  fold: AlarmRule[];
  noData: { enabled: boolean; durationSeconds: number | null };
}

/**
 * The rules for one piece of equipment: defaults, with its `alarm_rules` rows applied.
 * - A row's `durationSeconds` and `enabled` always apply.
 * - A row's `thresholdCentiC` (with `thresholdInclusive`) replaces the HEAT upper limit, the
 *   FREEZE lower limit or the LOW_BATTERY level (a percentage there). When it is NULL the default
 *   limit and its inclusivity stay. EXCURSION always uses the storage range +2…+8 °C.
 * - Freezers hold vaccines far below +2 °C, so the fridge defaults (HEAT, FREEZE, EXCURSION)
 *   are off for `kind = freezer` until a row configures them.
 */
export function resolveRules(kind: EquipmentKind, rows: readonly AlarmRuleRow[]): SensorRules {
  const byType = new Map(rows.map((row) => [row.type, row]));
  const fold = foldAlarmTypes.map((type): AlarmRule => {
    const base = defaultAlarmRules[type];
    const row = byType.get(type);
    const enabledByDefault = !(kind === "freezer" && base.measure === "temperature");
    if (!row) return { ...base, enabled: base.enabled && enabledByDefault };
    const threshold =
      row.thresholdCentiC === null ? null : { value: row.thresholdCentiC, inclusive: row.thresholdInclusive };
    return {
      ...base,
      enabled: row.enabled,
      durationMs: row.durationSeconds * 1000,
      above: type === "heat" && threshold ? threshold : base.above,
      below: (type === "freeze" || type === "low_battery") && threshold ? threshold : base.below,
    };
  });
  const noDataRow = byType.get("no_data");
  return {
    fold,
    noData: { enabled: noDataRow?.enabled ?? true, durationSeconds: noDataRow?.durationSeconds ?? null },
  };
}

/**
 * Whether a value is out of range. Inside an episode the limits move inwards by the
 * hysteresis, so a value between the limit and limit ± hysteresis keeps the episode going.
 */
export function isOutOfRange(rule: AlarmRule, value: number, inEpisode: boolean): boolean {
  const margin = inEpisode ? rule.hysteresis : 0;
  if (rule.above) {
    const limit = rule.above.value - margin;
    if (rule.above.inclusive ? value >= limit : value > limit) return true;
  }
  if (rule.below) {
    const limit = rule.below.value + margin;
    if (rule.below.inclusive ? value <= limit : value < limit) return true;
  }
  return false;
}
