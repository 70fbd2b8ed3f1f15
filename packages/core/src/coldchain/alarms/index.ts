/**
 * Cold-chain alarms: the pure alarm clock (episodes), the rules, what ingest calls inside its
 * flush transaction (prepare/evaluate), the NO_DATA check, stock at risk and the read/acknowledge
 * functions behind `coldchain.alarms.*`. The router is imported by coldchain/router.ts only.
 */
export { type Clock, createManualClock, systemClock } from "../../kernel/clock";
export * from "./acknowledge";
export * from "./assign";
export { createSensorStaticsCache, type SensorStaticsCache } from "./context";
export { type EarlyWarningOutcome, type EarlyWarningPayload, earlyWarningEventKey } from "./early-warnings";
export * from "./episodes";
export {
  type AlarmOutcome,
  evaluateAlarms,
  type FlushAlarmOutcome,
  LATE_DETECTION_MS,
  type PreparedAlarmEvaluation,
  prepareAlarmEvaluation,
  priorLatestReading,
} from "./evaluate";
export * from "./facility-history";
export * from "./live";
export { checkSilentSensors } from "./no-data";
export { type AlarmEventName, type AlarmEventPayload, alarmEventKey, alarmEventKeyOf } from "./outbox";
export * from "./queries";
export * from "./reconcile";
export * from "./rules";
export * from "./stock-at-risk";
