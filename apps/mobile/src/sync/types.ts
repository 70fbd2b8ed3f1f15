import type { RouterInputs, RouterOutputs } from "@rantai/api";

/**
 * The sync contract as the phone sees it. The types come from the API (`import type` only: the
 * phone bundles none of the server), so a change of `sync.push` / `sync.pull` breaks this build.
 */

type PushInput = RouterInputs["sync"]["push"];
/** An action as pushed: numbered by the phone's sync client (1, 2, 3…) when it was queued. */
export type NumberedAction = PushInput["actions"][number];
type WithoutNumber<T> = T extends unknown ? Omit<T, "mutationId"> : never;
/** One action as the screens make it: the online procedure's name, its input (with the idempotency key) and when the user acted. */
export type SyncAction = WithoutNumber<NumberedAction>;
export type SyncActionKind = SyncAction["kind"];
export type SyncActionResult = RouterOutputs["sync"]["push"]["results"][number];
/** Why the server refused an action (a stable reason the screens translate). */
export type RejectionReason = Extract<SyncActionResult, { reason: unknown }>["reason"];
export type PullPage = RouterOutputs["sync"]["pull"];
export type PulledLedgerEntry = PullPage["ledger"][number];
export type PulledBalance = PullPage["balances"][number];
export type PulledStates = NonNullable<PullPage["states"]>;
/** How far the server settled this phone's actions, as a pull reports it. */
export type ClientSettlement = NonNullable<PullPage["client"]>;
/** The phone's sync identity as a push carries it: made on the device, bound to the signed-in user. */
export type SyncClient = PushInput["client"];
export type SyncPlatform = SyncClient["platform"];
/** What a pull tells the server of the client: its id and the last number it holds an answer for. */
export type PullClient = NonNullable<RouterInputs["sync"]["pull"]["client"]>;

/** How the engine reaches the server; the app backs it with the tRPC client, tests with a fake server. */
export interface SyncTransport {
  /** `sync.push` with `{ orgUnitId, client, actions }`. */
  push(orgUnitId: number, actions: NumberedAction[], client: SyncClient): Promise<{ results: SyncActionResult[] }>;
  /** `sync.pull` with `{ orgUnitId, cursor, client }` (no client before the phone has queued anything). */
  pull(orgUnitId: number, cursor: string | undefined, client?: PullClient): Promise<PullPage>;
}

/** A refusal kept for the screens: the stable reason and its figures, translated there. */
export interface RejectedAction {
  action: SyncAction;
  reason: RejectionReason;
  params: Record<string, string | number>;
  rejectedAt: number;
}

/** Stored values are JSON: what the server sent as a Date is kept as its ISO text. */
export type Stored<T> = T extends Date
  ? string
  : T extends readonly (infer U)[]
    ? Stored<U>[]
    : T extends object
      ? { [K in keyof T]: Stored<T[K]> }
      : T;

/** Time and timers, injected so tests drive backoff without waiting. */
export interface Clock {
  now(): number;
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};
