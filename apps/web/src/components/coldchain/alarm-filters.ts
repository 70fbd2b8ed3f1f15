import type { RouterInputs } from "@rantai/api";

type ListInput = RouterInputs["coldchain"]["alarms"]["list"];
export type AlarmTypeFilter = NonNullable<ListInput["type"]>;
export type AlarmAgeFilter = NonNullable<ListInput["age"]>;
export type AlarmStatusFilter = NonNullable<ListInput["status"]>;

/** The filters in the order the inbox offers them; the checks below fail the typecheck if one is missing. */
export const alarmTypeFilters = [
  "heat",
  "freeze",
  "excursion",
  "no_data",
  "low_battery",
] as const satisfies readonly AlarmTypeFilter[];
export const alarmAgeFilters = [
  "under_1_day",
  "1_to_7_days",
  "over_7_days",
] as const satisfies readonly AlarmAgeFilter[];
export const alarmStatusFilters = ["live", "unacknowledged", "all"] as const satisfies readonly AlarmStatusFilter[];
type Unlisted =
  | Exclude<AlarmTypeFilter, (typeof alarmTypeFilters)[number]>
  | Exclude<AlarmAgeFilter, (typeof alarmAgeFilters)[number]>
  | Exclude<AlarmStatusFilter, (typeof alarmStatusFilters)[number]>;
const everyFilterListed: [Unlisted] extends [never] ? true : never = true;
void everyFilterListed;

/** The inbox's state, kept in the URL so the overview can link to it and a filtered inbox can be sent. */
export interface AlarmFilters {
  unit?: number | undefined;
  type?: AlarmTypeFilter | undefined;
  age?: AlarmAgeFilter | undefined;
  status: AlarmStatusFilter;
}

const oneOf = <T extends string>(values: readonly T[], text: string | null): T | undefined =>
  values.find((value) => value === text);

/** Reads the filters from the URL, dropping anything the API would refuse. */
export function parseAlarmFilters(params: URLSearchParams): AlarmFilters {
  const unitText = params.get("unit");
  const unit = unitText !== null && /^[1-9]\d{0,9}$/.test(unitText) ? Number(unitText) : undefined;
  return {
    unit: unit !== undefined && unit <= 2_147_483_647 ? unit : undefined,
    type: oneOf(alarmTypeFilters, params.get("type")),
    age: oneOf(alarmAgeFilters, params.get("age")),
    status: oneOf(alarmStatusFilters, params.get("status")) ?? "live",
  };
}

/** `/alarms?…` for a set of filters (defaults left out). */
export function alarmsHref(filters: AlarmFilters): string {
  const params = new URLSearchParams();
  if (filters.unit !== undefined) params.set("unit", String(filters.unit));
  if (filters.type) params.set("type", filters.type);
  if (filters.age) params.set("age", filters.age);
  if (filters.status !== "live") params.set("status", filters.status);
  const query = params.toString();
  return query ? `/alarms?${query}` : "/alarms";
}
