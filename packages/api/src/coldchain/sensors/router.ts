import {
  registerSensor,
  requireEquipmentForSensorAdmin,
  requireSensorForSensorAdmin,
  rotateSensorCredential,
  setSensorActive,
  ZRegisterSensorSchema,
  ZRotateSensorCredentialSchema,
  ZSetSensorActiveSchema,
} from "@rantai/core/coldchain/sensors";
import { createTRPCRouter, protectedProcedure } from "../../trpc";

/**
 * Sensor registration and device credentials, for district, province and national officers on
 * equipment under their unit (`coldchain.sensors.manage`). Each procedure authorizes the
 * equipment or sensor it names, then calls one domain function, which audits every change.
 */
export const sensorsRouter = createTRPCRouter({
  /** Registers a sensor on equipment; returns its MQTT credential once. */
  register: protectedProcedure.input(ZRegisterSensorSchema).mutation(async ({ ctx, input }) => {
    const equipment = await requireEquipmentForSensorAdmin(ctx, input.equipmentId, "coldchain.sensors.register");
    return registerSensor(ctx, equipment, input);
  }),

  /** Issues a new secret (returned once); the old one stops working at the next broker sync. */
  rotateCredential: protectedProcedure.input(ZRotateSensorCredentialSchema).mutation(async ({ ctx, input }) => {
    const sensor = await requireSensorForSensorAdmin(ctx, input.sensorId, "coldchain.sensors.rotateCredential");
    return rotateSensorCredential(ctx, sensor);
  }),

  /** Deactivates (or reactivates) a sensor: the broker refuses it from the next sync on. */
  setActive: protectedProcedure.input(ZSetSensorActiveSchema).mutation(async ({ ctx, input }) => {
    const sensor = await requireSensorForSensorAdmin(ctx, input.sensorId, "coldchain.sensors.setActive");
    return setSensorActive(ctx, sensor, input);
  }),
});
