import {
  acknowledgeAlarm,
  findAlarms,
  getAlarm,
  ZAcknowledgeAlarmSchema,
  ZGetAlarmSchema,
  ZListAlarmsSchema,
} from "@rantai/core/coldchain/alarms";
import { requireOrgUnitInScope } from "@rantai/core/orgs";
import { createTRPCRouter, protectedProcedure } from "../../trpc";

export const alarmsRouter = createTRPCRouter({
  /** Alarms at facilities under the caller's unit (or a unit in scope), newest first. */
  list: protectedProcedure.input(ZListAlarmsSchema).query(async ({ ctx, input }) => {
    const scope = await requireOrgUnitInScope(ctx, input.orgUnitId ?? ctx.actor.orgUnitId, "coldchain.alarms.list");
    return findAlarms(ctx.db, scope.path, input);
  }),
  /** One alarm with the stock at risk at its facility; FORBIDDEN (audited) outside the caller's scope. */
  get: protectedProcedure.input(ZGetAlarmSchema).query(({ ctx, input }) => getAlarm(ctx, input.alarmId)),
  /** Confirms an alarm was seen and says what was done (comment required); not for viewers. */
  acknowledge: protectedProcedure
    .input(ZAcknowledgeAlarmSchema)
    .mutation(({ ctx, input }) => acknowledgeAlarm(ctx, input)),
});
