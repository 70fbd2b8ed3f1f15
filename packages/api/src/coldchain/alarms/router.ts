import {
  acknowledgeAlarm,
  acknowledgeAlarmAction,
  assignAlarm,
  assignAlarmAction,
  findAlarmAssignees,
  findAlarms,
  getAlarm,
  requireAlarmInScope,
  ZAcknowledgeAlarmSchema,
  ZAssignAlarmSchema,
  ZGetAlarmSchema,
  ZListAlarmAssigneesSchema,
  ZListAlarmsSchema,
  ZWatchAlarmsSchema,
} from "@rantai/core/coldchain/alarms";
import { authorizeOrgUnit } from "@rantai/core/kernel";
import { createTRPCRouter, protectedProcedure } from "../../trpc";

export const alarmsRouter = createTRPCRouter({
  /** Alarms at facilities under the caller's unit (or a unit in scope), newest first; by type and age. */
  list: protectedProcedure.input(ZListAlarmsSchema).query(async ({ ctx, input }) => {
    const action = "coldchain.alarms.list";
    const scope = await authorizeOrgUnit(ctx, "coldchain.read", action, input.orgUnitId ?? ctx.actor.orgUnitId);
    return findAlarms(ctx.db, scope.path, input);
  }),
  /**
   * Live (SSE): `ready` once listening, then the id of each alarm under the unit that changes
   * (raised, resolved, acknowledged, assigned…), published by whoever committed the change.
   * Clients refetch `list` on both; the stream never carries an alarm of another area.
   */
  watch: protectedProcedure.input(ZWatchAlarmsSchema).subscription(async ({ ctx, input, signal }) => {
    // Authorized before the stream starts, so a refusal is an error of this call, not of the stream.
    const action = "coldchain.alarms.watch";
    const scope = await authorizeOrgUnit(ctx, "coldchain.read", action, input.orgUnitId ?? ctx.actor.orgUnitId);
    return ctx.alarmNotices.feed.watch(scope.path, signal);
  }),
  /** One alarm with the stock at risk at its facility; FORBIDDEN (audited) outside the caller's scope. */
  get: protectedProcedure.input(ZGetAlarmSchema).query(async ({ ctx, input }) => {
    const alarm = await requireAlarmInScope(ctx, input.alarmId, "coldchain.alarms.get", "coldchain.read");
    return getAlarm(ctx, alarm);
  }),
  /** Confirms an alarm was seen and says what was done (comment required); not for viewers. */
  acknowledge: protectedProcedure.input(ZAcknowledgeAlarmSchema).mutation(async ({ ctx, input }) => {
    const right = "coldchain.alarms.acknowledge";
    const alarm = await requireAlarmInScope(ctx, input.alarmId, acknowledgeAlarmAction, right);
    return acknowledgeAlarm(ctx, alarm, input, { publish: ctx.alarmNotices.publish });
  }),
  /** Who the caller may give this alarm to: users in their scope who may acknowledge it. */
  assignees: protectedProcedure.input(ZListAlarmAssigneesSchema).query(async ({ ctx, input }) => {
    const right = "coldchain.alarms.acknowledge";
    const alarm = await requireAlarmInScope(ctx, input.alarmId, "coldchain.alarms.assignees", right);
    return findAlarmAssignees(ctx, alarm);
  }),
  /** Gives the alarm to someone in scope to see to (null takes it back); not for viewers. */
  assign: protectedProcedure.input(ZAssignAlarmSchema).mutation(async ({ ctx, input }) => {
    const right = "coldchain.alarms.acknowledge";
    const alarm = await requireAlarmInScope(ctx, input.alarmId, assignAlarmAction, right);
    return assignAlarm(ctx, alarm, input, { publish: ctx.alarmNotices.publish });
  }),
});
