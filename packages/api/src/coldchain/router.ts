import {
  findEquipmentSensors,
  findFridges,
  findTemperatureSeries,
  getAlarmRules,
  registerFridge,
  requireEquipment,
  requireFridgeInScope,
  setAlarmRule,
  ZEquipmentTargetSchema,
  ZListFridgesSchema,
  ZRegisterFridgeSchema,
  ZSetAlarmRuleSchema,
  ZTemperatureSeriesSchema,
} from "@rantai/core/coldchain";
import { findAlarmHistory, ZAlarmHistorySchema } from "@rantai/core/coldchain/alarms";
import { authorizeOrgUnit } from "@rantai/core/kernel";
import { createTRPCRouter, protectedProcedure } from "../trpc";
import { alarmsRouter } from "./alarms/router";
import { sensorsRouter } from "./sensors/router";

export const coldchainRouter = createTRPCRouter({
  sensors: sensorsRouter,
  alarms: alarmsRouter,
  /** Fridges and freezers under the caller's unit (or a unit in scope) with their latest temperature. */
  listFridges: protectedProcedure.input(ZListFridgesSchema).query(async ({ ctx, input }) => {
    const action = "coldchain.listFridges";
    const scope = await authorizeOrgUnit(ctx, "coldchain.read", action, input.orgUnitId ?? ctx.actor.orgUnitId);
    return findFridges(ctx.db, scope.path, input);
  }),

  /** One fridge's temperatures over a window: raw, hourly or daily by the window's span, bounded in points. */
  temperatureSeries: protectedProcedure.input(ZTemperatureSeriesSchema).query(async ({ ctx, input }) => {
    const fridge = await requireFridgeInScope(ctx, input.equipmentId, "coldchain.temperatureSeries");
    return findTemperatureSeries(ctx.db, fridge, input);
  }),
  /** Every alarm of a facility (or a unit in scope), newest first, with the stock at risk when it started. */
  alarmHistory: protectedProcedure.input(ZAlarmHistorySchema).query(async ({ ctx, input }) => {
    const scope = await authorizeOrgUnit(ctx, "coldchain.read", "coldchain.alarmHistory", input.orgUnitId);
    return findAlarmHistory(ctx.db, scope.path, input);
  }),

  /** Registers a fridge (or freezer, cold box…) at a unit in scope. */
  registerFridge: protectedProcedure.input(ZRegisterFridgeSchema).mutation(async ({ ctx, input }) => {
    const unit = await authorizeOrgUnit(ctx, "coldchain.equipment.manage", "coldchain.registerFridge", input.orgUnitId);
    return registerFridge(ctx, unit, input);
  }),

  /** The sensors a fridge has had, active or not (never a secret). */
  fridgeSensors: protectedProcedure.input(ZEquipmentTargetSchema).query(async ({ ctx, input }) => {
    const target = await requireEquipment(ctx, "coldchain.read", input.equipmentId, "coldchain.fridgeSensors");
    return findEquipmentSensors(ctx.db, target.id);
  }),

  /** The alarm rules in force for a fridge: defaults and its own thresholds. */
  alarmRules: protectedProcedure.input(ZEquipmentTargetSchema).query(async ({ ctx, input }) => {
    const target = await requireEquipment(ctx, "coldchain.read", input.equipmentId, "coldchain.alarmRules");
    return getAlarmRules(ctx.db, target);
  }),

  /** Sets one alarm rule (threshold, duration, on/off) of a fridge. */
  setAlarmRule: protectedProcedure.input(ZSetAlarmRuleSchema).mutation(async ({ ctx, input }) => {
    const action = "coldchain.setAlarmRule";
    const target = await requireEquipment(ctx, "coldchain.equipment.manage", input.equipmentId, action);
    return setAlarmRule(ctx, target, input);
  }),
});
