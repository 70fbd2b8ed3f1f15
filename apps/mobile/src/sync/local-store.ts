import { type KeyValueStore, readJson, writeJson } from "./storage";
import type { PulledBalance, PulledLedgerEntry, PulledStates, PullPage, Stored } from "./types";

const LOCAL_KEY = "rantai.sync.local";
/** Ledger entries kept on the phone for history screens; balances carry the stock itself. */
export const MAX_LOCAL_LEDGER = 2000;

export type LocalBalance = Stored<PulledBalance>;
export type LocalLedgerEntry = Stored<PulledLedgerEntry>;
type StoredStates = Stored<PulledStates>;
export type LocalShipment = StoredStates["incomingShipments"][number];
export type LocalRequest = StoredStates["requests"][number];
export type LocalAlarm = StoredStates["alarms"][number];
export type LocalFridge = StoredStates["fridges"][number];
export type LocalReference = NonNullable<StoredStates["reference"]>;
export type LocalConsumption = StoredStates["consumption"][number];
/** Per item the facility holds: its average monthly consumption and min/max months, behind a suggested order. */
export type LocalItemFigures = NonNullable<StoredStates["itemFigures"]>[number];

/** The datasets a screen may name when it says how old its data is. */
export type Dataset = "stock" | "shipments" | "requests" | "alarms" | "fridges" | "reference";

/** What the phone holds of its facility, all in one stored value so a page and its cursor are kept together. */
export interface LocalData {
  /** The cursor after the last page stored; the next pull resumes from it. */
  cursor: string | null;
  balances: Record<string, LocalBalance>;
  /** Ascending by id, each entry once. */
  ledger: LocalLedgerEntry[];
  shipments: Record<string, LocalShipment>;
  requests: Record<string, LocalRequest>;
  alarms: Record<string, LocalAlarm>;
  fridges: LocalFridge[];
  reference: LocalReference | null;
  /** The facility's average monthly consumption per item, as the server last computed it. */
  consumption: LocalConsumption[];
  /** Empty until the server first sends them (data stored by an older build lacks the field). */
  itemFigures?: LocalItemFigures[];
  /** Device time (ms) each dataset was last brought up to date. */
  fetchedAt: Partial<Record<Dataset, number>>;
}

export const emptyLocalData = (): LocalData => ({
  cursor: null,
  balances: {},
  ledger: [],
  shipments: {},
  requests: {},
  alarms: {},
  fridges: [],
  reference: null,
  consumption: [],
  fetchedAt: {},
});

/** Dates become ISO text, as they will when read back from storage. */
function stored<T>(value: T): Stored<T> {
  return JSON.parse(JSON.stringify(value)) as Stored<T>;
}

function upsertById<T extends { id: number }>(into: Record<string, T>, rows: readonly T[]): Record<string, T> {
  const next = { ...into };
  for (const row of rows) next[String(row.id)] = row;
  return next;
}

/**
 * Folds one pulled page into the local data. Entries and state rows are upserted by id, so a
 * page applied twice (a crash after storing it but before the next request) changes nothing.
 * The first page of a whole-state pull replaces the balances: it carries every lot in stock.
 */
export function applyPullPage(data: LocalData, page: PullPage, startedFresh: boolean, now: number): LocalData {
  const entries = stored(page.ledger);
  const known = new Set(data.ledger.map((entry) => entry.id));
  const ledger = [...data.ledger, ...entries.filter((entry) => !known.has(entry.id))]
    .sort((a, b) => a.id - b.id)
    .slice(-MAX_LOCAL_LEDGER);
  const base = startedFresh ? {} : data.balances;
  const balances = { ...base };
  for (const balance of stored(page.balances)) balances[String(balance.batchId)] = balance;
  const fetchedAt: LocalData["fetchedAt"] = { ...data.fetchedAt };
  let next: LocalData = { ...data, cursor: page.cursor, ledger, balances, fetchedAt };
  if (!page.hasMore) fetchedAt.stock = now;
  if (page.states) {
    const states = stored(page.states);
    next = {
      ...next,
      // A whole-state pull lists every live shipment, request and alarm: what it leaves out is done.
      shipments: upsertById(page.full ? {} : data.shipments, states.incomingShipments),
      requests: upsertById(page.full ? {} : data.requests, states.requests),
      alarms: upsertById(page.full ? {} : data.alarms, states.alarms),
      fridges: states.fridges,
      consumption: states.consumption,
      reference: states.reference ?? data.reference,
      itemFigures: states.itemFigures ?? data.itemFigures,
    };
    fetchedAt.shipments = now;
    fetchedAt.requests = now;
    fetchedAt.alarms = now;
    fetchedAt.fridges = now;
    if (states.reference) fetchedAt.reference = now;
  }
  return next;
}

/** The pulled data on the device, read once and then kept in memory beside its stored copy. */
export class LocalStore {
  private data: LocalData | null = null;

  constructor(private readonly store: KeyValueStore) {}

  async read(): Promise<LocalData> {
    // Data stored by an older build lacks the sets added since: they start empty until the next pull.
    if (!this.data)
      this.data = { ...emptyLocalData(), ...(await readJson<Partial<LocalData>>(this.store, LOCAL_KEY, {})) };
    return this.data;
  }

  /** Writes first, then serves the new data: the cursor is never ahead of what is stored. */
  async write(data: LocalData): Promise<void> {
    await writeJson(this.store, LOCAL_KEY, data);
    this.data = data;
  }

  async clear(): Promise<void> {
    await this.store.removeItem(LOCAL_KEY);
    this.data = emptyLocalData();
  }
}
