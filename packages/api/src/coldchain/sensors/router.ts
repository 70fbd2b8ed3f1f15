import {
  registerSensor,
  rotateSensorCredential,
  setSensorActive,
  ZRegisterSensorSchema,
  ZRotateSensorCredentialSchema,
  ZSetSensorActiveSchema,
} from "@rantai/core/coldchain/sensors";
import { createTRPCRouter, protectedProcedure } from "../../trpc";

/**
 * Sensor registration and device credentials, for district, province and national officers on
 * equipment under their unit. Scope and role are checked by the domain functions (the ids are
 * nested: equipment, sensor), which audit every change and every refusal.
 */
export const sensorsRouter = createTRPCRouter({
  /** Registers a sensor on equipment; returns its MQTT credential once. */
  register: protectedProcedure.input(ZRegisterSensorSchema).mutation(({ ctx, input }) => registerSensor(ctx, input)),

  /** Issues a new secret (returned once); the old one stops working at the next broker sync. */
  rotateCredential: protectedProcedure
    .input(ZRotateSensorCredentialSchema)
    .mutation(({ ctx, input }) => rotateSensorCredential(ctx, input)),

  /** Deactivates (or reactivates) a sensor: the broker refuses it from the next sync on. */
  setActive: protectedProcedure.input(ZSetSensorActiveSchema).mutation(({ ctx, input }) => setSensorActive(ctx, input)),
});
