import { index, int, json, mysqlEnum, mysqlTable, uniqueIndex, varchar } from "drizzle-orm/mysql-core";
import { bigId, bigRef, createdAt, ref, timestamp } from "./columns";

/**
 * Events that someone must be told about (an alarm opened, a shipment dispatched), written in the
 * same transaction as the change that caused them; the notifier delivers from here.
 */
export const notificationOutbox = mysqlTable(
  "notification_outbox",
  {
    id: bigId(),
    kind: varchar({ length: 48 }).notNull(),
    orgUnitId: ref().notNull(),
    aggregateType: varchar({ length: 48 }).notNull(),
    aggregateId: varchar({ length: 64 }).notNull(),
    /** Unique per event, so writing the same event twice is a no-op. */
    eventKey: varchar({ length: 128 }).notNull(),
    payload: json().notNull(),
    createdAt: createdAt(),
    processedAt: timestamp(),
    attempts: int({ unsigned: true }).notNull().default(0),
    lastError: varchar({ length: 1000 }),
  },
  (t) => [
    uniqueIndex("notification_outbox_event_uq").on(t.eventKey),
    index("notification_outbox_pending_idx").on(t.processedAt, t.id),
  ],
);

export const notificationChannels = ["in_app", "email", "sms", "push"] as const;
export const deliveryStatuses = ["pending", "sent", "failed"] as const;

/** One delivery of an outbox event to one recipient on one channel. */
export const notificationDeliveries = mysqlTable(
  "notification_deliveries",
  {
    id: bigId(),
    outboxId: bigRef().notNull(),
    userId: ref().notNull(),
    channel: mysqlEnum(notificationChannels).notNull(),
    status: mysqlEnum(deliveryStatuses).notNull(),
    sentAt: timestamp(),
    readAt: timestamp(),
    lastError: varchar({ length: 1000 }),
    createdAt: createdAt(),
  },
  (t) => [
    uniqueIndex("notification_deliveries_once_uq").on(t.outboxId, t.userId, t.channel),
    index("notification_deliveries_user_idx").on(t.userId, t.createdAt),
  ],
);
