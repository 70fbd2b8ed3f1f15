import type { RouterInputs, RouterOutputs } from "@rantai/api";

/**
 * The sync contract as the phone sees it. The types come from the API (`import type` only: the
 * phone bundles none of the server), so a change of `sync.push` / `sync.pull` breaks this build.
 */

/** One queued action: the online procedure's name, its input (with the idempotency key) and when the user acted. */
export type SyncAction = RouterInputs["sync"]["push"]["actions"][number];
export type SyncActionKind = SyncAction["kind"];
export type SyncActionResult = RouterOutputs["sync"]["push"]["results"][number];
/** Why the server refused an action (a stable reason the screens translate). */
export type RejectionReason = Extract<SyncActionResult, { reason: unknown }>["reason"];
export type PullPage = RouterOutputs["sync"]["pull"];
export type PulledLedgerEntry = PullPage["ledger"][number];
export type PulledBalance = PullPage["balances"][number];
export type PulledStates = NonNullable<PullPage["states"]>;

/** How the engine reaches the server; the app backs it with the tRPC client, tests with a fake server. */
export interface SyncTransport {
  push(orgUnitId: number, actions: SyncAction[]): Promise<{ results: SyncActionResult[] }>;
  pull(orgUnitId: number, cursor: string | undefined): Promise<PullPage>;
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
