import {
  boolean,
  char,
  index,
  int,
  json,
  mysqlEnum,
  mysqlTable,
  primaryKey,
  text,
  uniqueIndex,
  varchar,
} from "drizzle-orm/mysql-core";
import { bigId, createdAt, id, ref, timestamp, updatedAt } from "./columns";

export const roles = ["national_admin", "province_officer", "district_officer", "facility_staff", "viewer"] as const;
export type Role = (typeof roles)[number];

export const locales = ["id", "en"] as const;
export type Locale = (typeof locales)[number];

export const users = mysqlTable(
  "users",
  {
    id: id(),
    email: varchar({ length: 254 }).notNull(),
    name: varchar({ length: 120 }).notNull(),
    /** Argon2id PHC string. */
    passwordHash: varchar({ length: 255 }).notNull(),
    role: mysqlEnum(roles).notNull(),
    orgUnitId: ref().notNull(),
    locale: mysqlEnum(locales).notNull().default("id"),
    active: boolean().notNull().default(true),
    /**
     * Raised on sign-out, disable, password reset and role or org-unit changes: a console JWT or
     * phone token issued under an older version is refused, so no old session ever comes back.
     */
    sessionVersion: int({ unsigned: true }).notNull().default(0),
    lastLoginAt: timestamp(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("users_email_uq").on(t.email), index("users_org_unit_idx").on(t.orgUnitId)],
);

export const sessionKinds = ["mobile"] as const;

/**
 * Bearer sessions for the phone app. Only a SHA-256 of the token is stored, so a leaked
 * table cannot be replayed; revoking is setting `revokedAt`.
 */
export const authSessions = mysqlTable(
  "auth_sessions",
  {
    id: id(),
    userId: ref().notNull(),
    kind: mysqlEnum(sessionKinds).notNull(),
    tokenHash: char({ length: 64 }).notNull(),
    deviceName: varchar({ length: 120 }),
    /** The user's `sessionVersion` when the token was issued; valid only while they are equal. */
    userSessionVersion: int({ unsigned: true }).notNull().default(0),
    createdAt: createdAt(),
    expiresAt: timestamp().notNull(),
    lastUsedAt: timestamp(),
    revokedAt: timestamp(),
  },
  (t) => [uniqueIndex("auth_sessions_token_uq").on(t.tokenHash), index("auth_sessions_user_idx").on(t.userId)],
);

/** Linked identity providers, in the shape next-auth adapters use (for a future SSO provider). */
export const authAccounts = mysqlTable(
  "auth_accounts",
  {
    userId: ref().notNull(),
    type: varchar({ length: 32 }).notNull(),
    provider: varchar({ length: 64 }).notNull(),
    providerAccountId: varchar({ length: 191 }).notNull(),
    refreshToken: text(),
    accessToken: text(),
    expiresAt: timestamp(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.providerAccountId] }), index("auth_accounts_user_idx").on(t.userId)],
);

/** One-time tokens (password reset, email sign-in), in the shape next-auth adapters use; hashed. */
export const authVerificationTokens = mysqlTable(
  "auth_verification_tokens",
  {
    identifier: varchar({ length: 254 }).notNull(),
    tokenHash: char({ length: 64 }).notNull(),
    expiresAt: timestamp().notNull(),
  },
  (t) => [primaryKey({ columns: [t.identifier, t.tokenHash] })],
);

/** Outside systems that sync with Rantai; scoped to an org unit like users. */
export const machineClients = mysqlTable(
  "machine_clients",
  {
    id: id(),
    clientId: varchar({ length: 64 }).notNull(),
    name: varchar({ length: 120 }).notNull(),
    secretHash: varchar({ length: 255 }).notNull(),
    orgUnitId: ref().notNull(),
    scopes: json().$type<string[]>().notNull(),
    active: boolean().notNull().default(true),
    lastUsedAt: timestamp(),
    createdAt: createdAt(),
    updatedAt: updatedAt(),
  },
  (t) => [uniqueIndex("machine_clients_client_id_uq").on(t.clientId)],
);

export const auditOutcomes = ["success", "denied", "failed"] as const;

/** Append-only: the application never updates or deletes rows here. */
export const auditLog = mysqlTable(
  "audit_log",
  {
    id: bigId(),
    occurredAt: createdAt(),
    actorUserId: ref(),
    actorClientId: ref(),
    action: varchar({ length: 96 }).notNull(),
    outcome: mysqlEnum(auditOutcomes).notNull(),
    entityType: varchar({ length: 48 }),
    entityId: varchar({ length: 64 }),
    orgUnitId: ref(),
    ip: varchar({ length: 45 }),
    userAgent: varchar({ length: 255 }),
    requestId: varchar({ length: 64 }),
    before: json(),
    after: json(),
  },
  (t) => [
    index("audit_log_actor_idx").on(t.actorUserId, t.occurredAt),
    index("audit_log_entity_idx").on(t.entityType, t.entityId),
    index("audit_log_org_unit_idx").on(t.orgUnitId, t.occurredAt),
  ],
);
