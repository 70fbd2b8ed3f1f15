/**
 * Daily RANGE partitions of `readings` (migration 0002: `PARTITION BY RANGE (TO_DAYS(ts))` with
 * `p_history` below 2020-01-01 and `p_future` up to MAXVALUE). This planner is pure: given the
 * partitions as information_schema lists them, today's date, the retention and how far ahead to
 * prepare, it returns the DDL that
 *
 * - splits `p_future` into one partition per UTC day, `pYYYYMMDD` holding ts < the next day,
 *   up to `daysAhead` days after today, so writes never land in `p_future` (whose later split
 *   would copy rows), and
 * - drops the daily partitions whose every row is older than `retentionDays` days before today
 *   (DROP PARTITION is a metadata operation, unlike DELETE). `p_history`, `p_future` and the
 *   rollup tables are never dropped.
 *
 * The first split, on a table with no daily partitions yet, starts at today: `p<today>` then
 * also holds everything since 2020-01-01 and is dropped only when all of it has expired.
 */

export interface PartitionInfo {
  name: string;
  /** information_schema.PARTITIONS.PARTITION_DESCRIPTION: a TO_DAYS number, or "MAXVALUE". */
  description: string;
}

export interface PartitionPlanInput {
  table: string;
  /** In ordinal order; empty when the table is not partitioned. */
  partitions: readonly PartitionInfo[];
  /** Any time on the current day (UTC). */
  now: Date;
  retentionDays: number;
  daysAhead: number;
}

export interface PartitionPlan {
  /** ALTER TABLE statements to run in order (at most one REORGANIZE, then at most one DROP). */
  statements: string[];
  added: string[];
  dropped: string[];
  /** Why nothing could be planned for part of the job (e.g. no p_future). */
  warnings: string[];
}

const DAY_MS = 86_400_000;
/** TO_DAYS('1970-01-01') in MySQL/MariaDB. */
const TO_DAYS_EPOCH = 719_528;
export const FUTURE_PARTITION = "p_future";
const DAILY_NAME = /^p(\d{4})(\d{2})(\d{2})$/;

/** MySQL's TO_DAYS of the UTC day containing `date`. */
export function toDays(date: Date): number {
  return Math.floor(date.getTime() / DAY_MS) + TO_DAYS_EPOCH;
}

/** The UTC midnight whose TO_DAYS is `days`. */
export function fromDays(days: number): Date {
  return new Date((days - TO_DAYS_EPOCH) * DAY_MS);
}

/** "p20250131" for the partition holding 2025-01-31 (UTC). */
export function dailyPartitionName(days: number): string {
  return `p${fromDays(days).toISOString().slice(0, 10).replaceAll("-", "")}`;
}

function quote(identifier: string): string {
  if (!/^[A-Za-z0-9_]+$/.test(identifier)) throw new Error(`unexpected identifier ${identifier}`);
  return `\`${identifier}\``;
}

export function planPartitions(input: PartitionPlanInput): PartitionPlan {
  const plan: PartitionPlan = { statements: [], added: [], dropped: [], warnings: [] };
  if (input.partitions.length === 0) {
    plan.warnings.push(`${input.table} is not partitioned; run the migrations (0002_partition_readings_by_day)`);
    return plan;
  }
  const today = toDays(input.now);
  const cutoff = today - input.retentionDays;
  const bounded = input.partitions
    .filter((partition) => partition.description !== "MAXVALUE")
    .map((partition) => ({ ...partition, bound: Number(partition.description) }));
  const daily = bounded.filter((partition) => DAILY_NAME.test(partition.name));
  const last = input.partitions.at(-1);

  if (last?.name !== FUTURE_PARTITION || last.description !== "MAXVALUE") {
    plan.warnings.push(`${input.table} has no ${FUTURE_PARTITION} VALUES LESS THAN MAXVALUE as its last partition`);
  } else {
    // Daily partition for day d has bound d + 1; the next one to add is the day starting at the
    // highest bound (bounds must increase). Days already past the retention are not created.
    const highest = Math.max(...bounded.map((partition) => partition.bound));
    const first = daily.length > 0 ? Math.max(highest, cutoff) : Math.max(highest, today);
    const lastDay = today + input.daysAhead;
    const additions: { name: string; bound: number }[] = [];
    for (let day = first; day <= lastDay; day += 1) additions.push({ name: dailyPartitionName(day), bound: day + 1 });
    const clash = additions.find((addition) => input.partitions.some((partition) => partition.name === addition.name));
    if (clash) {
      plan.warnings.push(`${input.table} already has a partition named ${clash.name} out of order; not adding`);
    } else if (additions.length > 0) {
      const parts = additions.map(
        (addition) => `PARTITION ${quote(addition.name)} VALUES LESS THAN (${addition.bound})`,
      );
      parts.push(`PARTITION ${quote(FUTURE_PARTITION)} VALUES LESS THAN MAXVALUE`);
      plan.statements.push(
        `ALTER TABLE ${quote(input.table)} REORGANIZE PARTITION ${quote(FUTURE_PARTITION)} INTO (${parts.join(", ")})`,
      );
      plan.added = additions.map((addition) => addition.name);
    }
  }

  // Every row of a daily partition is older than its bound: expired once bound <= cutoff.
  const expired = daily.filter((partition) => partition.bound <= cutoff).map((partition) => partition.name);
  if (expired.length > 0) {
    plan.statements.push(`ALTER TABLE ${quote(input.table)} DROP PARTITION ${expired.map(quote).join(", ")}`);
    plan.dropped = expired;
  }
  return plan;
}
