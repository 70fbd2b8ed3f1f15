import { char, index, int, json, mysqlEnum, mysqlTable, primaryKey, varchar } from "drizzle-orm/mysql-core";
import { createdAt, ref, updatedAt } from "./columns";

export const syncPlatforms = ["android", "ios", "web"] as const;

/**
 * One installation of the phone app as its user signed in: a random id made on the device, bound
 * to the user who first pushed with it (another user's push with it is refused; the same user on
 * a new device, or after signing out, is a new client). `lastMutationId` is the number of the
 * last queued action the server settled (applied or rejected); only `lastMutationId + 1` may come
 * next, and it moves in the transaction of that action's effects.
 */
export const syncClients = mysqlTable(
  "sync_clients",
  {
    clientId: char({ length: 36 }).primaryKey(),
    userId: ref().notNull(),
    platform: mysqlEnum(syncPlatforms).notNull(),
    deviceLabel: varchar({ length: 120 }),
    lastMutationId: int({ unsigned: true }).notNull().default(0),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [index("sync_clients_user_idx").on(t.userId)],
);

/**
 * A queued action the server refused for good (stock too low, lot unusable…): kept so that a
 * resend of its number (the phone crashed before reading the answer) gets the same refusal, and
 * so support can see what a phone was told.
 */
export const syncRejections = mysqlTable(
  "sync_rejections",
  {
    clientId: char({ length: 36 }).notNull(),
    mutationId: int({ unsigned: true }).notNull(),
    idempotencyKey: varchar({ length: 96 }).notNull(),
    kind: varchar({ length: 96 }).notNull(),
    reason: varchar({ length: 96 }).notNull(),
    message: varchar({ length: 500 }).notNull(),
    params: json().notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.mutationId] })],
);
