import type { RouterInputs, RouterOutputs } from "@rantai/api";
import { alarmsHref } from "../coldchain/alarm-filters";

/**
 * The facility table's state as it lives in the URL (`/facilities?unit=9&status=stock_out&sort=…`),
 * so a figure of the overview links to the list behind it, and a filtered, sorted page can be
 * reloaded, bookmarked and sent to a colleague. Every value read from the URL is checked against
 * what the API accepts; anything else is dropped rather than sent.
 */

type FacilitiesInput = RouterInputs["orgs"]["facilities"];
export type FacilityFilter = NonNullable<FacilitiesInput["status"]>;
export type FacilitySort = NonNullable<FacilitiesInput["sort"]>;
export type SortDirection = NonNullable<FacilitiesInput["direction"]>;
export type FacilityCursor = NonNullable<FacilitiesInput["cursor"]>;
export type OverviewLink = RouterOutputs["orgs"]["overview"]["totals"]["stock"]["stockOut"]["link"];
type AlarmLink = RouterOutputs["orgs"]["overview"]["totals"]["alarms"]["byAge"][number]["link"];

/** The API's filters in the order the filter menu shows them; the check below fails the typecheck if one is missing. */
export const facilityFilters = [
  "stock_out",
  "below_min",
  "above_max",
  "expiring_30_days",
  "expiring_60_days",
  "expiring_90_days",
  "fridge_in_alarm",
  "fridge_offline",
  "fridge_silent",
  "stock_at_risk",
] as const satisfies readonly FacilityFilter[];
const facilitySorts = [
  "name",
  "stock_status",
  "months_of_stock",
  "cold_chain_status",
  "last_sync",
] as const satisfies readonly FacilitySort[];
type Unlisted =
  | Exclude<FacilityFilter, (typeof facilityFilters)[number]>
  | Exclude<FacilitySort, (typeof facilitySorts)[number]>;
const everyValueListed: [Unlisted] extends [never] ? true : never = true;
void everyValueListed;

export const pageSizes = [10, 25, 50, 100] as const;
const defaultPageSize = 25;
/** Pages a URL may carry cursors for: far beyond what anyone pages through by hand, and a bound on the URL. */
const maxCursors = 200;

export interface FacilityQuery {
  unit?: number;
  search?: string;
  status?: FacilityFilter;
  sort: FacilitySort;
  direction: SortDirection;
  /** The antigen whose months of stock is shown in its own column and may be sorted by. */
  item?: number;
  pageSize: number;
  /** The cursor of every page before this one: the last is this page's start, dropping it goes back one page. */
  after: FacilityCursor[];
}

const positiveId = (value: string | null) => {
  if (value === null || !/^\d{1,10}$/.test(value)) return undefined;
  const id = Number(value);
  return id > 0 ? id : undefined;
};

function oneOf<T extends string>(values: readonly T[], value: string | null): T | undefined {
  return values.find((candidate) => candidate === value);
}

/** A cursor as written by `facilityQueryString`: `[key, id]` in JSON; anything else is dropped. */
function parseCursor(text: string, sort: FacilitySort): FacilityCursor | undefined {
  try {
    const value: unknown = JSON.parse(text);
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [key, id] = value as unknown[];
    if (!Number.isSafeInteger(id) || (id as number) < 0) return undefined;
    if (sort === "name" ? typeof key !== "string" || key.length > 255 : !Number.isSafeInteger(key)) return undefined;
    return { key: key as string | number, id: id as number };
  } catch {
    return undefined;
  }
}

export function parseFacilityQuery(params: URLSearchParams): FacilityQuery {
  const item = positiveId(params.get("item"));
  const requestedSort = oneOf(facilitySorts, params.get("sort")) ?? "name";
  // Months of stock is per antigen: without one chosen, the table falls back to names.
  const sort = requestedSort === "months_of_stock" && item === undefined ? "name" : requestedSort;
  const search = params.get("q")?.trim().slice(0, 100);
  const pageSize = Number(params.get("size"));
  const after: FacilityCursor[] = [];
  for (const text of params.getAll("after").slice(0, maxCursors)) {
    const cursor = parseCursor(text, sort);
    if (!cursor) break;
    after.push(cursor);
  }
  return {
    unit: positiveId(params.get("unit")),
    search: search ? search : undefined,
    status: oneOf(facilityFilters, params.get("status")),
    sort,
    direction: params.get("dir") === "desc" ? "desc" : "asc",
    item,
    pageSize: (pageSizes as readonly number[]).includes(pageSize) ? pageSize : defaultPageSize,
    after,
  };
}

/** The URL query of a table state, defaults left out so links stay short. */
export function facilityQueryString(query: FacilityQuery): string {
  const params = new URLSearchParams();
  if (query.unit !== undefined) params.set("unit", String(query.unit));
  if (query.search) params.set("q", query.search);
  if (query.status) params.set("status", query.status);
  if (query.sort !== "name") params.set("sort", query.sort);
  if (query.direction !== "asc") params.set("dir", query.direction);
  if (query.item !== undefined) params.set("item", String(query.item));
  if (query.pageSize !== defaultPageSize) params.set("size", String(query.pageSize));
  for (const cursor of query.after) params.append("after", JSON.stringify([cursor.key, cursor.id]));
  const text = params.toString();
  return text ? `?${text}` : "";
}

/** The `orgs.facilities` input of a table state. */
export function facilitiesInput(query: FacilityQuery): FacilitiesInput {
  return {
    orgUnitId: query.unit,
    search: query.search,
    status: query.status,
    sort: query.sort,
    direction: query.direction,
    itemId: query.item,
    limit: query.pageSize,
    cursor: query.after.at(-1),
  };
}

/** Where a figure of the overview leads: the facility table filtered to what it counts, or the alarm inbox of its unit and age. */
export function overviewLinkHref(link: OverviewLink | AlarmLink): string {
  if (link.list === "alarms") return alarmsHref({ unit: link.orgUnitId, status: link.status, age: link.age });
  return `/facilities${facilityQueryString({ unit: link.orgUnitId, status: link.status, sort: "name", direction: "asc", pageSize: defaultPageSize, after: [] })}`;
}

/** A facility's own page: its fridges' temperatures, stock by lot, movements and alarm history. */
export function facilityHref(facilityId: number): string {
  return `/facilities/${facilityId}`;
}

export function overviewHref(unit: number | undefined): string {
  return unit === undefined ? "/overview" : `/overview?unit=${unit}`;
}
