export { type BackoffPolicy, backoffDelay, defaultBackoff } from "./backoff";
export type { LocalState, SyncEngineOptions, SyncError, SyncState } from "./engine";
export { MAX_PUSH_ACTIONS, SyncEngine } from "./engine";
export type { Dataset, LocalData } from "./local-store";
export { LocalRejection, type ShownAlarm, type ShownBalance } from "./optimistic";
export { createWebStore, type KeyValueStore, MemoryStore } from "./storage";
export type { Clock, RejectedAction, SyncAction, SyncActionResult, SyncTransport } from "./types";
