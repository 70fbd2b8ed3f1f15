import {
  acknowledgeAlarm,
  acknowledgeAlarmAction,
  findAlarms,
  getAlarm,
  requireAlarmInScope,
  ZAcknowledgeAlarmSchema,
  ZGetAlarmSchema,
  ZListAlarmsSchema,
} from "@rantai/core/coldchain/alarms";
import { authorizeOrgUnit } from "@rantai/core/kernel";
import { createTRPCRouter, protectedProcedure } from "../../trpc";

export const alarmsRouter = createTRPCRouter({
  /** Alarms at facilities under the caller's unit (or a unit in scope), newest first. */
  list: protectedProcedure.input(ZListAlarmsSchema).query(async ({ ctx, input }) => {
    const action = "coldchain.alarms.list";
    const scope = await authorizeOrgUnit(ctx, "coldchain.read", action, input.orgUnitId ?? ctx.actor.orgUnitId);
    return findAlarms(ctx.db, scope.path, input);
  }),
  /** One alarm with the stock at risk at its facility; FORBIDDEN (audited) outside the caller's scope. */
  get: protectedProcedure.input(ZGetAlarmSchema).query(async ({ ctx, input }) => {
    const alarm = await requireAlarmInScope(ctx, input.alarmId, "coldchain.alarms.get", "coldchain.read");
    return getAlarm(ctx.db, alarm);
  }),
  /** Confirms an alarm was seen and says what was done (comment required); not for viewers. */
  acknowledge: protectedProcedure.input(ZAcknowledgeAlarmSchema).mutation(async ({ ctx, input }) => {
    const right = "coldchain.alarms.acknowledge";
    const alarm = await requireAlarmInScope(ctx, input.alarmId, acknowledgeAlarmAction, right);
    return acknowledgeAlarm(ctx, alarm, input);
  }),
});
