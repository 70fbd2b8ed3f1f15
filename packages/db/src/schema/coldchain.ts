import {
  boolean,
  char,
  customType,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  smallint,
  tinyint,
  uniqueIndex,
  varchar,
} from "drizzle-orm/mysql-core";
import { bigId, bigRef, createdAt, id, ref, timestamp, updatedAt } from "./columns";

export const equipmentKinds = ["refrigerator", "freezer", "fridge_freezer", "cold_box", "vaccine_carrier"] as const;
export const equipmentStatuses = ["functional", "needs_repair", "non_functional", "decommissioned"] as const;

export const equipment = mysqlTable(
  "equipment",
  {
    id: id(),
    facilityId: ref().notNull(),
    kind: mysqlEnum(equipmentKinds).notNull(),
    name: varchar({ length: 120 }).notNull(),
    manufacturer: varchar({ length: 120 }),
    model: varchar({ length: 120 }),
    /** WHO PQS catalogue code, e.g. "E003/120". */
    pqsCode: varchar({ length: 32 }),
    serialNumber: varchar({ length: 64 }),
    status: mysqlEnum(equipmentStatuses).notNull().default("functional"),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    // With the status, the scope figures find a facility's fridges without reading their rows.
    index("equipment_facility_status_idx").on(t.facilityId, t.status),
    uniqueIndex("equipment_serial_uq").on(t.serialNumber),
  ],
);

/**
 * A temperature sensor bound to one piece of equipment. `deviceId` is what the device puts in
 * its MQTT topic and username; only an Argon2id hash of its credential is kept.
 */
export const sensors = mysqlTable(
  "sensors",
  {
    id: id(),
    deviceId: varchar({ length: 64 }).notNull(),
    equipmentId: ref().notNull(),
    credentialHash: varchar({ length: 255 }).notNull(),
    credentialIssuedAt: timestamp().notNull(),
    /**
     * The same credential hashed for the broker's password file (Mosquitto PBKDF2-SHA512, "$7$…"),
     * so brokers can authenticate devices without ever seeing the secret.
     */
    brokerPasswordHash: varchar({ length: 255 }),
    active: boolean().notNull().default(true),
    /** How often the device logs; the no-data alarm waits for max(60 min, 2 × this). */
    expectedIntervalSeconds: int({ unsigned: true }).notNull().default(600),
    firmware: varchar({ length: 64 }),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("sensors_device_id_uq").on(t.deviceId),
    // Covering for the scope figures: a fridge's active sensors and their intervals from the index alone.
    index("sensors_equipment_active_idx").on(t.equipmentId, t.active, t.expectedIntervalSeconds),
  ],
);

/**
 * The latest known state of each sensor, kept by ingest with guarded upserts (a late reading
 * never replaces a newer one). Separate from `sensors` so that registration data stays cold.
 */
export const sensorStates = mysqlTable("sensor_states", {
  sensorId: ref().primaryKey(),
  lastReadingAt: timestamp().notNull(),
  lastTempCentiC: smallint().notNull(),
  lastBatteryPct: tinyint({ unsigned: true }),
  lastReceivedAt: timestamp().notNull(),
  online: boolean(),
  onlineChangedAt: timestamp(),
});

/**
 * Each facility's fridges as the scope figures count them (coldchain/scope-figures.ts): how many,
 * how many offline, how many silent, as they stood at `computedAt`. Counting them live reads every
 * fridge, sensor and sensor state of the scope (20,000 of each for the country) on every overview;
 * the worker refreshes these rows every minute instead, off ingest's path. Readers take a row only
 * while `validUntil` is ahead: at most a few minutes after `computedAt`, and never past the moment
 * the first of its fresh fridges would fall silent; a facility without a valid row is counted live.
 * Alarms are not kept here: the live ones are few and read through their unique key, so a new
 * alarm shows at once.
 */
export const facilityColdChainSummaries = mysqlTable("facility_cold_chain_summaries", {
  orgUnitId: ref().primaryKey(),
  fridges: int({ unsigned: true }).notNull(),
  fridgesOffline: int({ unsigned: true }).notNull(),
  fridgesSilent: int({ unsigned: true }).notNull(),
  computedAt: timestamp().notNull(),
  validUntil: timestamp().notNull(),
});

/**
 * Raw readings: one row per sensor and device timestamp. The primary key (sensor, ts) makes a
 * redelivered reading a no-op, and contains `ts` so the table can be RANGE-partitioned by time.
 * Temperatures are hundredths of a degree in a SMALLINT: exact comparisons, 2 bytes a value.
 */
export const readings = mysqlTable(
  "readings",
  {
    sensorId: ref().notNull(),
    ts: timestamp().notNull(),
    tempCentiC: smallint().notNull(),
    batteryPct: tinyint({ unsigned: true }),
    seq: int({ unsigned: true }),
    receivedAt: timestamp().notNull(),
  },
  (t) => [primaryKey({ columns: [t.sensorId, t.ts] })],
);

const rollupColumns = () => ({
  sensorId: ref().notNull(),
  bucketStart: timestamp().notNull(),
  minCentiC: smallint().notNull(),
  maxCentiC: smallint().notNull(),
  sumCentiC: int().notNull(),
  count: int({ unsigned: true }).notNull(),
});

export const readingRollupsHourly = mysqlTable("reading_rollups_hourly", rollupColumns(), (t) => [
  primaryKey({ columns: [t.sensorId, t.bucketStart] }),
]);

export const readingRollupsDaily = mysqlTable("reading_rollups_daily", rollupColumns(), (t) => [
  primaryKey({ columns: [t.sensorId, t.bucketStart] }),
]);

export const alarmTypes = ["heat", "freeze", "excursion", "no_data", "low_battery"] as const;
export type AlarmType = (typeof alarmTypes)[number];
export const alarmStatuses = ["open", "acknowledged", "resolved", "retracted"] as const;

/** Per-equipment overrides of the default alarm rules; absent rows mean the defaults apply. */
export const alarmRules = mysqlTable(
  "alarm_rules",
  {
    id: id(),
    equipmentId: ref().notNull(),
    type: mysqlEnum(alarmTypes).notNull(),
    thresholdCentiC: smallint(),
    /** Whether a reading equal to the threshold counts as out of range. */
    thresholdInclusive: boolean().notNull().default(false),
    durationSeconds: int({ unsigned: true }).notNull(),
    enabled: boolean().notNull().default(true),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("alarm_rules_equipment_type_uq").on(t.equipmentId, t.type)],
);

export const alarms = mysqlTable(
  "alarms",
  {
    id: bigId(),
    equipmentId: ref().notNull(),
    sensorId: ref().notNull(),
    facilityId: ref().notNull(),
    type: mysqlEnum(alarmTypes).notNull(),
    status: mysqlEnum(alarmStatuses).notNull(),
    /** "{sensorId}:{type}" while open or acknowledged, NULL after: at most one live alarm per sensor and type. */
    liveKey: varchar({ length: 48 }),
    startedAt: timestamp().notNull(),
    /** Device time at which the rule was met (the start plus the rule's duration, as readings showed it). */
    openedAt: timestamp(),
    /** Server time at which the engine raised the alarm (later than `openedAt` for late readings). */
    detectedAt: timestamp(),
    lastOutOfRangeAt: timestamp(),
    endedAt: timestamp(),
    durationSeconds: int({ unsigned: true }).notNull().default(0),
    peakCentiC: smallint(),
    minCentiC: smallint(),
    /** Degree-hours above +8 °C, in hundredths. */
    heatExposureCentiDegreeHours: int({ unsigned: true }).notNull().default(0),
    /** Opened from readings that arrived long after they were taken (a logger flushing its buffer). */
    detectedLate: boolean().notNull().default(false),
    acknowledgedAt: timestamp(),
    acknowledgedBy: ref(),
    acknowledgementComment: varchar({ length: 1000 }),
    /** Who is to see to it (a user who may acknowledge it); set from the alarm inbox. */
    assignedTo: ref(),
    assignedAt: timestamp(),
    resolvedAt: timestamp(),
    retractedAt: timestamp(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("alarms_live_key_uq").on(t.liveKey),
    index("alarms_facility_idx").on(t.facilityId, t.status),
    index("alarms_sensor_idx").on(t.sensorId, t.startedAt),
  ],
);

/**
 * Where each sensor's running alarm evaluation stands, per alarm type: the current out-of-range
 * episode (if any) up to the latest reading folded in. Kept in the database, not in a process,
 * so a restart or another ingest replica continues the same clock.
 */
export const alarmTrackers = mysqlTable(
  "alarm_trackers",
  {
    sensorId: ref().notNull(),
    type: mysqlEnum(alarmTypes).notNull(),
    /** Device time of the latest reading folded into this tracker. */
    lastReadingAt: timestamp().notNull(),
    lastCentiC: smallint().notNull(),
    /** First out-of-range reading of the current episode; null while in range. */
    episodeStartedAt: timestamp(),
    lastOutOfRangeAt: timestamp(),
    peakCentiC: smallint(),
    minCentiC: smallint(),
    heatExposureCentiDegreeHours: int({ unsigned: true }).notNull().default(0),
    /** The alarm raised for the current episode, once it crossed its duration. */
    alarmId: bigRef(),
    updatedAt: updatedAt(),
  },
  (t) => [primaryKey({ columns: [t.sensorId, t.type] })],
);

export const earlyWarningSides = ["upper", "lower"] as const;
export const earlyWarningStatuses = ["open", "breached", "cleared"] as const;

/**
 * Early warnings: a fridge whose recent readings head out of +2…+8 °C, forecast before it gets
 * there (core coldchain/early-warning.ts). One row per episode, written by ingest's flush under
 * the sensor's lock: open while the trend holds, then `breached` (the range was left on its side)
 * or `cleared` (the trend stopped). Times are device times except `detectedAt`.
 */
export const earlyWarnings = mysqlTable(
  "early_warnings",
  {
    id: bigId(),
    sensorId: ref().notNull(),
    equipmentId: ref().notNull(),
    facilityId: ref().notNull(),
    /** Which limit the fridge heads for: the upper (+8 °C, warming) or the lower (+2 °C, cooling). */
    side: mysqlEnum(earlyWarningSides).notNull(),
    limitCentiC: smallint().notNull(),
    status: mysqlEnum(earlyWarningStatuses).notNull(),
    /** "{sensorId}" while open, NULL after: at most one open warning per sensor. */
    liveKey: varchar({ length: 24 }),
    /** The reading that opened it: its device time and temperature, and the trend then. */
    openedAt: timestamp().notNull(),
    tempCentiC: smallint().notNull(),
    ratePerHourCentiC: smallint().notNull(),
    /** The latest forecast: when the fridge will cross the limit, made from the reading at `forecastAt`. */
    predictedBreachAt: timestamp().notNull(),
    forecastAt: timestamp().notNull(),
    endedAt: timestamp(),
    /** Server time the flush opened it. */
    detectedAt: timestamp().notNull(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [
    uniqueIndex("early_warnings_live_key_uq").on(t.liveKey),
    index("early_warnings_equipment_idx").on(t.equipmentId, t.status),
    index("early_warnings_facility_idx").on(t.facilityId, t.status),
    index("early_warnings_sensor_idx").on(t.sensorId, t.openedAt),
  ],
);

const blob = customType<{ data: Buffer; driverData: Buffer }>({ dataType: () => "mediumblob" });

/** Payloads that failed validation: kept with their raw bytes and the reason, never dropped. */
export const deadLetters = mysqlTable(
  "dead_letters",
  {
    id: bigId(),
    receivedAt: createdAt(),
    source: varchar({ length: 16 }).notNull(),
    topic: varchar({ length: 255 }).notNull(),
    deviceId: varchar({ length: 64 }),
    reasonCode: varchar({ length: 48 }).notNull(),
    reason: varchar({ length: 2000 }).notNull(),
    /** Index of the rejected reading inside a batch payload, when only one reading failed. */
    readingIndex: int({ unsigned: true }),
    /** The raw bytes, or their first bytes when the payload was larger than ingest keeps whole. */
    payload: blob().notNull(),
    /** Length and SHA-256 of the whole payload as received, so a truncated one can still be matched. */
    payloadBytes: int({ unsigned: true }),
    payloadSha256: char({ length: 64 }),
    /**
     * SHA-256 of source, topic and the whole payload: a message redelivered after its dead letter
     * was committed (the ack lost to a reconnect) finds its row there and adds none.
     */
    messageKey: char({ length: 64 }),
    details: json(),
  },
  (t) => [
    index("dead_letters_received_idx").on(t.receivedAt),
    index("dead_letters_device_idx").on(t.deviceId),
    uniqueIndex("dead_letters_message_key_uq").on(t.messageKey),
  ],
);

/**
 * Redelivered messages (MQTT DUP) that ingest has started to process, keyed by a hash of topic and
 * payload. A message that keeps coming back because processing it crashes the process is
 * quarantined as `poison` once its attempts pass the limit, instead of crash-looping ingest.
 */
export const ingestMessageAttempts = mysqlTable(
  "ingest_message_attempts",
  {
    messageKey: char({ length: 64 }).primaryKey(),
    topic: varchar({ length: 255 }).notNull(),
    attempts: int({ unsigned: true }).notNull().default(0),
    firstAttemptAt: timestamp().notNull(),
    lastAttemptAt: timestamp().notNull(),
  },
  (t) => [index("ingest_message_attempts_last_idx").on(t.lastAttemptAt)],
);
