import {
  type AlarmType,
  alarmRules,
  alarmTypes,
  type Executor,
  equipment,
  equipmentKinds,
  orgUnits,
  sensorStates,
  sensors,
} from "@rantai/db";
import { asc, eq, sql } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../auth/audit";
import { authorize, type Right } from "../kernel/authorization";
import type { DomainContext } from "../kernel/context";
import { ER_DUP_ENTRY, mysqlErrno } from "../kernel/db-errors";
import { AppError } from "../kernel/errors";
import { type AlarmRuleRow, defaultAlarmRules, foldAlarmTypes, resolveRules } from "./alarms/rules";
import { forgetFacilityColdChainSummary } from "./cold-chain-summaries";

/**
 * Fridge administration within scope: registering cold-chain equipment at a unit, listing the
 * sensors it has had (active or not), and its alarm thresholds (`alarm_rules`, one row per
 * equipment and type overriding the defaults). Reading needs `coldchain.read`, changing
 * `coldchain.equipment.manage`; both through the one authorization step on the equipment's unit.
 * Ingest reads rule changes within a minute (its sensor statics cache).
 */

const ZIdSchema = z.number().int().positive().max(2_147_483_647);
const optionalText = (max: number) => z.string().trim().min(1).max(max).optional();

/** Which rules take a threshold, and what it means (°C limit or battery percent). */
const thresholdUnit: Readonly<Record<AlarmType, "celsius" | "percent" | null>> = {
  heat: "celsius",
  freeze: "celsius",
  excursion: null,
  low_battery: "percent",
  no_data: null,
};

export const ZRegisterFridgeSchema = z.strictObject({
  /** The facility (or store) the equipment stands at. */
  orgUnitId: ZIdSchema,
  kind: z.enum(equipmentKinds),
  name: z.string().trim().min(2, { error: "must be at least 2 characters" }).max(120),
  manufacturer: optionalText(120),
  model: optionalText(120),
  serialNumber: optionalText(64),
});
export type TRegisterFridge = z.infer<typeof ZRegisterFridgeSchema>;

export const ZEquipmentTargetSchema = z.strictObject({ equipmentId: ZIdSchema });

/** Whole degrees with up to two decimals, bounded to what a cold-chain sensor can report. */
const ZThresholdSchema = z.number().min(-80).max(60).multipleOf(0.01);

export const ZSetAlarmRuleSchema = z
  .strictObject({
    equipmentId: ZIdSchema,
    type: z.enum(alarmTypes),
    enabled: z.boolean(),
    /** How long out of range before the alarm is raised, in minutes (NO_DATA: how long silent). */
    durationMinutes: z
      .number()
      .int()
      .min(0)
      .max(7 * 24 * 60),
    /**
     * HEAT: the upper limit, FREEZE: the lower limit (°C); LOW_BATTERY: the level in percent.
     * Null: the default limit. EXCURSION and NO_DATA take none.
     */
    threshold: ZThresholdSchema.nullable().default(null),
  })
  .superRefine((input, issues) => {
    const unit = thresholdUnit[input.type];
    if (unit === null && input.threshold !== null) {
      issues.addIssue({ code: "custom", path: ["threshold"], message: "this rule takes no threshold; leave it empty" });
    }
    if (
      unit === "percent" &&
      input.threshold !== null &&
      !(Number.isInteger(input.threshold) && input.threshold >= 0 && input.threshold <= 100)
    ) {
      issues.addIssue({
        code: "custom",
        path: ["threshold"],
        message: "a battery level is a whole percentage, 0 to 100",
      });
    }
    if (input.type === "no_data" && input.durationMinutes < 10) {
      issues.addIssue({
        code: "custom",
        path: ["durationMinutes"],
        message: "a silence shorter than 10 minutes is not an outage",
      });
    }
  });
export type TSetAlarmRule = z.infer<typeof ZSetAlarmRuleSchema>;

/** Loads a piece of equipment with its unit and authorizes `right` on it. */
export async function requireEquipment(
  request: DomainContext<Executor>,
  right: Right,
  equipmentId: number,
  action: string,
) {
  const [row] = await request.db
    .select({
      id: equipment.id,
      name: equipment.name,
      kind: equipment.kind,
      status: equipment.status,
      facilityId: orgUnits.id,
      path: orgUnits.path,
    })
    .from(equipment)
    .innerJoin(orgUnits, eq(orgUnits.id, equipment.facilityId))
    .where(eq(equipment.id, equipmentId))
    .limit(1);
  const entity = { entityType: "equipment", entityId: equipmentId };
  return authorize(request, right, action, entity, row, (found) => [found.path]);
}
export type AdminEquipment = Awaited<ReturnType<typeof requireEquipment>>;

/** Registers a fridge (or freezer, cold box…) at a unit the procedure authorized. */
export async function registerFridge(request: DomainContext<Executor>, unit: { id: number }, input: TRegisterFridge) {
  const values = {
    facilityId: unit.id,
    kind: input.kind,
    name: input.name,
    manufacturer: input.manufacturer ?? null,
    model: input.model ?? null,
    serialNumber: input.serialNumber ?? null,
  };
  try {
    return await request.db.transaction(async (tx) => {
      const [{ id }] = (await tx.insert(equipment).values(values).$returningId()) as [{ id: number }];
      // The facility's fridge count changes: counted live until the next summary refresh.
      await forgetFacilityColdChainSummary(tx, unit.id);
      await writeAudit(tx, request.meta, {
        action: "coldchain.registerFridge",
        outcome: "success",
        actorUserId: request.actor.userId,
        entityType: "equipment",
        entityId: id,
        orgUnitId: unit.id,
        after: values,
      });
      return { equipmentId: id, ...values };
    });
  } catch (error) {
    if (mysqlErrno(error) === ER_DUP_ENTRY) {
      throw new AppError(
        "coldchain.serial_taken",
        `Equipment with serial number ${input.serialNumber ?? ""} is already registered. Check the number on its plate.`,
      );
    }
    throw error;
  }
}

/** Every sensor a piece of equipment has had, newest first, with its last reading (never the secret). */
export async function findEquipmentSensors(db: Executor, equipmentId: number) {
  return db
    .select({
      sensorId: sensors.id,
      deviceId: sensors.deviceId,
      active: sensors.active,
      credentialIssuedAt: sensors.credentialIssuedAt,
      expectedIntervalSeconds: sensors.expectedIntervalSeconds,
      lastReadingAt: sensorStates.lastReadingAt,
    })
    .from(sensors)
    .leftJoin(sensorStates, eq(sensorStates.sensorId, sensors.id))
    .where(eq(sensors.equipmentId, equipmentId))
    .orderBy(sql`${sensors.id} DESC`)
    .limit(50);
}

/**
 * The rules in force for a piece of equipment, one per alarm type: the default, or its
 * `alarm_rules` row. Thresholds in °C (or percent), durations in minutes, as the form shows them.
 */
export async function getAlarmRules(db: Executor, target: AdminEquipment) {
  const rows = await db
    .select({
      type: alarmRules.type,
      thresholdCentiC: alarmRules.thresholdCentiC,
      thresholdInclusive: alarmRules.thresholdInclusive,
      durationSeconds: alarmRules.durationSeconds,
      enabled: alarmRules.enabled,
    })
    .from(alarmRules)
    .where(eq(alarmRules.equipmentId, target.id))
    .orderBy(asc(alarmRules.type));
  const resolved = resolveRules(target.kind, rows satisfies AlarmRuleRow[]);
  const overridden = new Set(rows.map((row) => row.type));
  const fold = foldAlarmTypes.map((type) => {
    const rule = resolved.fold.find((candidate) => candidate.type === type) ?? defaultAlarmRules[type];
    const limit = type === "heat" ? rule.above : type === "excursion" ? null : rule.below;
    const unit = thresholdUnit[type];
    return {
      type,
      enabled: rule.enabled,
      durationMinutes: Math.round(rule.durationMs / 60_000),
      threshold: limit === null ? null : unit === "celsius" ? limit.value / 100 : limit.value,
      thresholdUnit: unit,
      custom: overridden.has(type),
    };
  });
  return [
    ...fold,
    {
      type: "no_data" as const,
      enabled: resolved.noData.enabled,
      durationMinutes:
        resolved.noData.durationSeconds === null ? null : Math.round(resolved.noData.durationSeconds / 60),
      threshold: null,
      thresholdUnit: null,
      custom: overridden.has("no_data"),
    },
  ];
}

/** Sets one alarm rule of a piece of equipment (an upsert on equipment + type), audited. */
export async function setAlarmRule(request: DomainContext<Executor>, target: AdminEquipment, input: TSetAlarmRule) {
  const unit = thresholdUnit[input.type];
  const thresholdCentiC =
    input.threshold === null ? null : unit === "celsius" ? Math.round(input.threshold * 100) : input.threshold;
  const values = {
    equipmentId: target.id,
    type: input.type,
    thresholdCentiC,
    // FREEZE counts a reading at its limit as out of range, like the default; HEAT and battery do not.
    thresholdInclusive: input.type === "freeze",
    durationSeconds: input.durationMinutes * 60,
    enabled: input.enabled,
  };
  await request.db.transaction(async (tx) => {
    await tx
      .insert(alarmRules)
      .values(values)
      .onDuplicateKeyUpdate({
        set: {
          thresholdCentiC: values.thresholdCentiC,
          thresholdInclusive: values.thresholdInclusive,
          durationSeconds: values.durationSeconds,
          enabled: values.enabled,
        },
      });
    await writeAudit(tx, request.meta, {
      action: "coldchain.setAlarmRule",
      outcome: "success",
      actorUserId: request.actor.userId,
      entityType: "equipment",
      entityId: target.id,
      orgUnitId: target.facilityId,
      after: values,
    });
  });
  return getAlarmRules(request.db, target);
}
