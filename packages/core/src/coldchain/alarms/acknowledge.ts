import { alarms, type Database, type Executor, type Transaction } from "@rantai/db";
import { eq, sql } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../../auth/audit";
import type { DomainContext } from "../../kernel/context";
import { AppError } from "../../kernel/errors";
import { runIdempotent } from "../../kernel/idempotency";
import { ZIdempotencyKeySchema } from "../../kernel/schemas";
import { type AlarmNotice, noticesOf, type PublishAlarmNotices } from "./live";
import { type AlarmEvent, type AlarmStatus, writeAlarmEvents } from "./outbox";
import { type AlarmRow, findAlarmRow, toAlarmView } from "./queries";

export const ZAcknowledgeAlarmSchema = z.strictObject({
  alarmId: z.number().int().positive(),
  comment: z
    .string()
    .trim()
    .min(1, "Write what you checked or did about the alarm; a comment is required")
    .max(1000, "Keep the comment under 1000 characters"),
});
export type TAcknowledgeAlarm = z.infer<typeof ZAcknowledgeAlarmSchema>;

export const acknowledgeAlarmAction = "coldchain.alarms.acknowledge";

/**
 * Someone responsible for the fridge confirms they have seen the alarm and says what they did.
 * Allowed for users whose scope contains the alarm's facility and whose role holds
 * `coldchain.alarms.acknowledge` (not viewers): the procedure authorizes the alarm before this
 * runs, and refusals are FORBIDDEN with the one message and audited. A live alarm becomes
 * "acknowledged"; an alarm that already ended stays "resolved" and is no longer waiting for
 * acknowledgement. Written with a notice and an audit entry in one
 * transaction, then announced to the live inboxes; acknowledging twice is a CONFLICT that names
 * who did it first.
 */
export async function acknowledgeAlarm(
  request: DomainContext<Executor> & { db: Database },
  /** The alarm, authorized for `coldchain.alarms.acknowledge` by the procedure (requireAlarmInScope). */
  found: AlarmRow,
  input: TAcknowledgeAlarm,
  options: { now?: Date; publish?: PublishAlarmNotices } = {},
) {
  const now = options.now ?? new Date();
  const { notices } = await request.db.transaction((tx) => writeAcknowledgement(tx, request, found, input, now));
  // Committed: the other open inboxes of this alarm's area show it acknowledged.
  await options.publish?.(request.db, notices);

  const row = await findAlarmRow(request.db, input.alarmId);
  if (!row) throw new AppError("coldchain.alarm_not_found", notFoundMessage);
  return toAlarmView(row);
}

/** An acknowledgement a client may resend (the phone's queue): the same input with its idempotency key. */
export const ZAcknowledgeAlarmOnceSchema = ZAcknowledgeAlarmSchema.extend({ idempotencyKey: ZIdempotencyKeySchema });
export type TAcknowledgeAlarmOnce = z.infer<typeof ZAcknowledgeAlarmOnceSchema>;

/** What an acknowledgement sent with a key answers, stored with the key and replayed verbatim. */
export type AcknowledgementReceipt = {
  alarmId: number;
  status: AlarmStatus;
  acknowledgedAt: string;
  comment: string;
};

/**
 * `acknowledgeAlarm` applied at most once per idempotency key, for actions queued offline: the
 * acknowledgement, its notice and audit entry commit with the key, so a resent action answers
 * the stored receipt instead of "already acknowledged". The caller authorized the alarm as the
 * online procedure does.
 */
export async function acknowledgeAlarmOnce(
  request: DomainContext<Executor> & { db: Database },
  found: AlarmRow,
  input: TAcknowledgeAlarmOnce,
  options: { now?: Date; publish?: PublishAlarmNotices } = {},
): Promise<AcknowledgementReceipt> {
  const { idempotencyKey, ...payload } = input;
  const call = { key: idempotencyKey, procedure: acknowledgeAlarmAction, userId: request.actor.userId, payload };
  let committed: AlarmNotice[] = [];
  const receipt = await runIdempotent(request.db, call, async (tx): Promise<AcknowledgementReceipt> => {
    const now = options.now ?? new Date();
    const { notices, status } = await writeAcknowledgement(tx, request, found, payload, now);
    committed = notices;
    return { alarmId: input.alarmId, status, acknowledgedAt: now.toISOString(), comment: payload.comment };
  });
  // Only the call that applied it announces it; a replay changed nothing.
  if (committed.length > 0) await options.publish?.(request.db, committed);
  return receipt;
}

const notFoundMessage = "This alarm no longer exists. Reload the list of alarms.";

/** The acknowledgement itself, inside the caller's transaction: the row, its event and the audit entry. */
async function writeAcknowledgement(
  tx: Transaction,
  request: DomainContext<Executor>,
  found: AlarmRow,
  input: TAcknowledgeAlarm,
  now: Date,
): Promise<{ notices: AlarmNotice[]; status: AlarmStatus }> {
  const [locked] = await tx.select().from(alarms).where(eq(alarms.id, input.alarmId)).for("update");
  if (!locked) throw new AppError("coldchain.alarm_not_found", notFoundMessage);
  if (locked.status === "retracted") {
    throw new AppError(
      "coldchain.alarm_retracted",
      "This alarm was withdrawn: readings that arrived later showed the fridge was not out of range that long. There is nothing to acknowledge.",
    );
  }
  if (locked.acknowledgedAt !== null) {
    throw new AppError(
      "coldchain.alarm_already_acknowledged",
      `This alarm was already acknowledged at ${locked.acknowledgedAt.toISOString()}. Reload it to see the comment.`,
    );
  }
  const status = locked.status === "open" ? "acknowledged" : locked.status;
  await tx
    .update(alarms)
    .set({
      acknowledgedAt: now,
      acknowledgedBy: request.actor.userId,
      acknowledgementComment: input.comment,
      status: sql`IF(${alarms.status} = 'open', 'acknowledged', ${alarms.status})`,
      updatedAt: now,
    })
    .where(eq(alarms.id, input.alarmId));
  const events: AlarmEvent[] = [
    {
      alarmId: locked.id,
      event: "acknowledged",
      type: locked.type,
      status,
      subject: {
        sensorId: locked.sensorId,
        deviceId: found.deviceId,
        equipmentId: locked.equipmentId,
        equipmentName: found.equipmentName,
        facilityId: locked.facilityId,
        facilityName: found.facilityName,
      },
      values: locked,
      alarmAt: null,
      detectedLate: locked.detectedLate,
      detectedAt: locked.detectedAt,
      acknowledgement: { by: request.actor.userId, at: now, comment: input.comment },
    },
  ];
  await writeAlarmEvents(tx, events);
  await writeAudit(tx, request.meta, {
    action: acknowledgeAlarmAction,
    outcome: "success",
    actorUserId: request.actor.userId,
    entityType: "alarm",
    entityId: locked.id,
    orgUnitId: locked.facilityId,
    before: { status: locked.status },
    after: { status, comment: input.comment },
  });
  return { notices: noticesOf(events), status };
}
