import { alarms, type Database, type Executor, orgUnits, users } from "@rantai/db";
import { and, asc, eq, inArray, like, sql } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../../auth/audit";
import { authorize, holdsRight, isPathInScope, rolesHolding, subtreePattern } from "../../kernel/authorization";
import type { DomainContext } from "../../kernel/context";
import { AppError } from "../../kernel/errors";
import { ZIdSchema } from "../../kernel/schemas";
import type { PublishAlarmNotices } from "./live";
import { type AlarmRow, findAlarmRow, toAlarmView } from "./queries";

export const ZAssignAlarmSchema = z.strictObject({
  alarmId: ZIdSchema,
  /** The user to see to it; null takes the assignment back. */
  assigneeUserId: ZIdSchema.nullable(),
});
export type TAssignAlarm = z.infer<typeof ZAssignAlarmSchema>;

export const ZListAlarmAssigneesSchema = z.strictObject({ alarmId: ZIdSchema });

export const assignAlarmAction = "coldchain.alarms.assign";
/** Assignees must be able to act on the alarm: the right to acknowledge it. */
const assigneeRight = "coldchain.alarms.acknowledge";

/**
 * Who may be given an alarm: active users who may acknowledge it (their unit contains its
 * facility) and who lie in the assigning user's scope. Names first, at most 200.
 */
export async function findAlarmAssignees(request: DomainContext<Executor>, found: AlarmRow) {
  return request.db
    .select({ id: users.id, name: users.name, role: users.role, orgUnitName: orgUnits.name })
    .from(users)
    .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
    .where(
      and(
        eq(users.active, true),
        inArray(users.role, [...rolesHolding(assigneeRight)]),
        like(orgUnits.path, subtreePattern(request.actor.orgUnitPath)),
        sql`${found.facilityPath} LIKE CONCAT(${orgUnits.path}, '%')`,
      ),
    )
    .orderBy(asc(users.name), asc(users.id))
    .limit(200);
}

/**
 * Gives an alarm to someone to see to (or takes it back). The procedure has authorized the alarm
 * for `coldchain.alarms.acknowledge`; the assignee is authorized here like any user target (in
 * the assigning user's scope, else FORBIDDEN and audited) and must be able to act on the alarm
 * (`coldchain.alarm_assignee_ineligible`). Written with an audit entry in one transaction, then
 * announced to the live inboxes.
 */
export async function assignAlarm(
  request: DomainContext<Executor> & { db: Database },
  found: AlarmRow,
  input: TAssignAlarm,
  options: { now?: Date; publish?: PublishAlarmNotices } = {},
) {
  const now = options.now ?? new Date();
  if (input.assigneeUserId !== null) {
    const [assignee] = await request.db
      .select({ user: users, path: orgUnits.path })
      .from(users)
      .innerJoin(orgUnits, eq(orgUnits.id, users.orgUnitId))
      .where(eq(users.id, input.assigneeUserId))
      .limit(1);
    const target = await authorize(
      request,
      assigneeRight,
      assignAlarmAction,
      { entityType: "user", entityId: input.assigneeUserId },
      assignee,
      (row) => [row.path],
    );
    const canAct =
      target.user.active &&
      holdsRight(target.user.role, assigneeRight) &&
      isPathInScope(target.path, found.facilityPath);
    if (!canAct)
      throw new AppError(
        "coldchain.alarm_assignee_ineligible",
        "This person cannot see to this alarm: choose someone whose area includes its facility and who may acknowledge alarms.",
      );
  }
  await request.db.transaction(async (tx) => {
    const [locked] = await tx.select().from(alarms).where(eq(alarms.id, input.alarmId)).for("update");
    if (!locked)
      throw new AppError("coldchain.alarm_not_found", "This alarm no longer exists. Reload the list of alarms.");
    if (locked.status === "retracted")
      throw new AppError(
        "coldchain.alarm_retracted",
        "This alarm was withdrawn: readings that arrived later showed the fridge was not out of range that long. There is nothing to see to.",
      );
    await tx
      .update(alarms)
      .set({
        assignedTo: input.assigneeUserId,
        assignedAt: input.assigneeUserId === null ? null : now,
        updatedAt: now,
      })
      .where(eq(alarms.id, input.alarmId));
    await writeAudit(tx, request.meta, {
      action: assignAlarmAction,
      outcome: "success",
      actorUserId: request.actor.userId,
      entityType: "alarm",
      entityId: locked.id,
      orgUnitId: locked.facilityId,
      before: { assignedTo: locked.assignedTo },
      after: { assignedTo: input.assigneeUserId },
    });
  });
  await options.publish?.(request.db, [
    { alarmId: found.alarm.id, facilityId: found.alarm.facilityId, event: "assigned" },
  ]);
  const row = await findAlarmRow(request.db, input.alarmId);
  if (!row) throw new AppError("coldchain.alarm_not_found", "This alarm no longer exists. Reload the list of alarms.");
  return toAlarmView(row);
}
