import { type Executor, sensors } from "@rantai/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../../auth/audit";
import type { DomainContext } from "../../kernel/context";
import { ER_DUP_ENTRY, mysqlErrno } from "../../kernel/db-errors";
import { AppError } from "../../kernel/errors";
import { forgetFacilityColdChainSummary } from "../cold-chain-summaries";
import { DEVICE_ID_PATTERN, readingsTopic, statusTopic } from "../sensor-protocol";
import { describeUnusableBrokerUsername, issueCredential } from "./credentials";
import type { SensorAdminEquipment, SensorAdminSensor } from "./permissions";

const ZIdSchema = z.number().int().positive().max(2_147_483_647);

export const ZRegisterSensorSchema = z.strictObject({
  equipmentId: ZIdSchema,
  deviceId: z.string().regex(DEVICE_ID_PATTERN, {
    error: "must be 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit, e.g. RTS-P340401-3",
  }),
  /** How often the device logs, in seconds (the no-data alarm waits for twice this). */
  expectedIntervalSeconds: z.number().int().min(60).max(86_400).optional(),
});
export type TRegisterSensor = z.infer<typeof ZRegisterSensorSchema>;

export const ZRotateSensorCredentialSchema = z.strictObject({ sensorId: ZIdSchema });
export type TRotateSensorCredential = z.infer<typeof ZRotateSensorCredentialSchema>;

export const ZSetSensorActiveSchema = z.strictObject({ sensorId: ZIdSchema, active: z.boolean() });
export type TSetSensorActive = z.infer<typeof ZSetSensorActiveSchema>;

/** What a device needs to connect; the secret is returned here once and never stored in clear. */
export interface DeviceCredentialResult {
  sensorId: number;
  deviceId: string;
  equipmentId: number;
  mqtt: { username: string; password: string; readingsTopic: string; statusTopic: string };
  issuedAt: Date;
}

function credentialResult(
  row: { sensorId: number; deviceId: string; equipmentId: number },
  secret: string,
  issuedAt: Date,
): DeviceCredentialResult {
  return {
    ...row,
    mqtt: {
      username: row.deviceId,
      password: secret,
      readingsTopic: readingsTopic(row.deviceId),
      statusTopic: statusTopic(row.deviceId),
    },
    issuedAt,
  };
}

/**
 * Registers a sensor on a piece of equipment and issues its credential. The broker learns it
 * with the next broker-auth sync (every few seconds), after which the device may connect as
 * username = deviceId and publish to its own two topics only.
 */
export async function registerSensor(
  request: DomainContext<Executor>,
  target: SensorAdminEquipment,
  input: TRegisterSensor,
): Promise<DeviceCredentialResult> {
  const action = "coldchain.sensors.register";
  const unusable = describeUnusableBrokerUsername(input.deviceId);
  if (unusable) throw new AppError("coldchain.device_id_unusable", unusable);
  if (target.status === "decommissioned") {
    throw new AppError(
      "coldchain.equipment_decommissioned",
      `Equipment ${target.id} is decommissioned. Register the sensor on the equipment that replaced it.`,
    );
  }

  const credential = await issueCredential();
  const issuedAt = new Date();
  try {
    const sensorId = await request.db.transaction(async (tx) => {
      const [{ id }] = (await tx
        .insert(sensors)
        .values({
          deviceId: input.deviceId,
          equipmentId: target.id,
          credentialHash: credential.credentialHash,
          brokerPasswordHash: credential.brokerPasswordHash,
          credentialIssuedAt: issuedAt,
          active: true,
          ...(input.expectedIntervalSeconds ? { expectedIntervalSeconds: input.expectedIntervalSeconds } : {}),
        })
        .$returningId()) as [{ id: number }];
      // Its fridge's counts change: counted live until the next summary refresh.
      await forgetFacilityColdChainSummary(tx, target.facilityId);
      await writeAudit(tx, request.meta, {
        action,
        outcome: "success",
        actorUserId: request.actor.userId,
        entityType: "sensor",
        entityId: id,
        orgUnitId: target.facilityId,
        after: { deviceId: input.deviceId, equipmentId: target.id, active: true, credentialIssuedAt: issuedAt },
      });
      return id;
    });
    return credentialResult(
      { sensorId, deviceId: input.deviceId, equipmentId: target.id },
      credential.secret,
      issuedAt,
    );
  } catch (error) {
    if (mysqlErrno(error) === ER_DUP_ENTRY) {
      throw new AppError(
        "coldchain.device_id_taken",
        `A sensor with device id ${input.deviceId} is already registered. Device ids are unique across Rantai; check the id on the device's label.`,
      );
    }
    throw error;
  }
}

/**
 * Issues a new secret for a sensor; the old one stops working at the broker's next sync (a
 * connected device is disconnected then and must reconnect with the new secret).
 */
export async function rotateSensorCredential(
  request: DomainContext<Executor>,
  sensor: SensorAdminSensor,
): Promise<DeviceCredentialResult> {
  const action = "coldchain.sensors.rotateCredential";
  const credential = await issueCredential();
  const issuedAt = new Date();
  await request.db.transaction(async (tx) => {
    await tx
      .update(sensors)
      .set({
        credentialHash: credential.credentialHash,
        brokerPasswordHash: credential.brokerPasswordHash,
        credentialIssuedAt: issuedAt,
      })
      .where(eq(sensors.id, sensor.id));
    await writeAudit(tx, request.meta, {
      action,
      outcome: "success",
      actorUserId: request.actor.userId,
      entityType: "sensor",
      entityId: sensor.id,
      orgUnitId: sensor.facilityId,
      after: { deviceId: sensor.deviceId, credentialIssuedAt: issuedAt },
    });
  });
  return credentialResult(
    { sensorId: sensor.id, deviceId: sensor.deviceId, equipmentId: sensor.equipmentId },
    credential.secret,
    issuedAt,
  );
}

/**
 * Activates or deactivates a sensor. A deactivated sensor is removed from the broker's password
 * file at the next sync (and disconnected); ingest dead-letters anything it still sends.
 */
export async function setSensorActive(
  request: DomainContext<Executor>,
  sensor: SensorAdminSensor,
  input: TSetSensorActive,
) {
  const action = "coldchain.sensors.setActive";
  await request.db.transaction(async (tx) => {
    await tx.update(sensors).set({ active: input.active }).where(eq(sensors.id, sensor.id));
    await forgetFacilityColdChainSummary(tx, sensor.facilityId);
    await writeAudit(tx, request.meta, {
      action,
      outcome: "success",
      actorUserId: request.actor.userId,
      entityType: "sensor",
      entityId: sensor.id,
      orgUnitId: sensor.facilityId,
      before: { active: sensor.active },
      after: { active: input.active },
    });
  });
  return { sensorId: sensor.id, deviceId: sensor.deviceId, active: input.active };
}
