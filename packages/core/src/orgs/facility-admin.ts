import { type Executor, type OrgUnit, orgUnits, users } from "@rantai/db";
import { eq } from "drizzle-orm";
import { z } from "zod";
import { writeAudit } from "../auth/audit";
import { type ActorCacheHost, actorCacheOf } from "../kernel/authorization";
import type { DomainContext } from "../kernel/context";
import { ER_DUP_ENTRY, mysqlErrno } from "../kernel/db-errors";
import { AppError } from "../kernel/errors";

/**
 * Facility administration within scope (`orgs.manage`): officers register the puskesmas, clinics
 * and hospitals of their districts, rename them, correct their code and move one to another
 * district. The procedure authorizes the facility and every district it names; this module
 * checks the levels and keeps the materialized path right.
 */

const ZIdSchema = z.number().int().positive().max(2_147_483_647);
export const facilityTypes = ["puskesmas", "rumah_sakit", "klinik"] as const;
const ZCodeSchema = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .regex(/^[A-Za-z0-9.\-_/]+$/, { error: "may hold letters, digits, '.', '-', '_' and '/' only, e.g. P3404010101" });
const ZNameSchema = z.string().trim().min(2, { error: "must be at least 2 characters" }).max(160);

export const ZCreateFacilitySchema = z.strictObject({
  /** The district the facility belongs to. */
  parentId: ZIdSchema,
  code: ZCodeSchema,
  name: ZNameSchema,
  facilityType: z.enum(facilityTypes).default("puskesmas"),
});
export type TCreateFacility = z.infer<typeof ZCreateFacilitySchema>;

export const ZUpdateFacilitySchema = z.strictObject({
  facilityId: ZIdSchema,
  code: ZCodeSchema.optional(),
  name: ZNameSchema.optional(),
  /** Another district in scope, to move the facility there. */
  parentId: ZIdSchema.optional(),
});
export type TUpdateFacility = z.infer<typeof ZUpdateFacilitySchema>;

function requireDistrict(parent: OrgUnit): void {
  if (parent.level !== "district") {
    throw new AppError(
      "orgs.parent_not_district",
      `${parent.name} is a ${parent.level}; a facility belongs to a district. Choose a district as its parent.`,
    );
  }
}

function codeTaken(code: string): AppError {
  return new AppError("orgs.code_taken", `Another unit already has the code ${code}. Codes are unique; check it.`);
}

/** Runs a write that may hit the unique code, turning that into a clear conflict. */
async function withUniqueCode<Result>(code: string | undefined, write: () => Promise<Result>): Promise<Result> {
  try {
    return await write();
  } catch (error) {
    if (code !== undefined && mysqlErrno(error) === ER_DUP_ENTRY) throw codeTaken(code);
    throw error;
  }
}

/** Registers a facility under a district the procedure authorized. */
export async function createFacility(request: DomainContext<Executor>, parent: OrgUnit, input: TCreateFacility) {
  requireDistrict(parent);
  return withUniqueCode(input.code, () =>
    request.db.transaction(async (tx) => {
      const [{ id }] = (await tx
        .insert(orgUnits)
        .values({
          parentId: parent.id,
          level: "facility",
          code: input.code,
          name: input.name,
          facilityType: input.facilityType,
          // The path holds the row's own id: written once the id is known, in the same transaction.
          path: parent.path,
          depth: parent.depth + 1,
        })
        .$returningId()) as [{ id: number }];
      const path = `${parent.path}${id}/`;
      await tx.update(orgUnits).set({ path }).where(eq(orgUnits.id, id));
      const after = { code: input.code, name: input.name, facilityType: input.facilityType, parentId: parent.id };
      await writeAudit(tx, request.meta, {
        action: "orgs.createFacility",
        outcome: "success",
        actorUserId: request.actor.userId,
        entityType: "org_unit",
        entityId: id,
        orgUnitId: id,
        after,
      });
      return { id, ...after, path };
    }),
  );
}

/**
 * Renames a facility, changes its code or moves it to another district (both authorized by the
 * procedure). A move changes the facility's path, so its users' cached scopes are cleared after
 * the commit: their next request sees the new place.
 */
export async function updateFacility(
  request: DomainContext<Executor> & ActorCacheHost,
  facility: OrgUnit,
  newParent: OrgUnit | null,
  input: TUpdateFacility,
) {
  if (facility.level !== "facility") {
    throw new AppError(
      "orgs.not_a_facility",
      `${facility.name} is a ${facility.level}; only facilities are edited here.`,
    );
  }
  if (newParent) requireDistrict(newParent);
  const moved = newParent !== null && newParent.id !== facility.parentId;
  const set = {
    ...(input.code === undefined ? {} : { code: input.code }),
    ...(input.name === undefined ? {} : { name: input.name }),
    ...(moved ? { parentId: newParent.id, path: `${newParent.path}${facility.id}/`, depth: newParent.depth + 1 } : {}),
  };
  const before = { code: facility.code, name: facility.name, parentId: facility.parentId };
  const after = { ...before, ...(input.code ? { code: input.code } : {}), ...(input.name ? { name: input.name } : {}) };
  if (moved) after.parentId = newParent.id;
  const userIds = await withUniqueCode(input.code, () =>
    request.db.transaction(async (tx) => {
      if (Object.keys(set).length > 0) await tx.update(orgUnits).set(set).where(eq(orgUnits.id, facility.id));
      await writeAudit(tx, request.meta, {
        action: "orgs.updateFacility",
        outcome: "success",
        actorUserId: request.actor.userId,
        entityType: "org_unit",
        entityId: facility.id,
        orgUnitId: facility.id,
        before,
        after,
      });
      if (!moved) return [];
      const staff = await tx.select({ id: users.id }).from(users).where(eq(users.orgUnitId, facility.id));
      return staff.map((user) => user.id);
    }),
  );
  const cache = actorCacheOf(request);
  for (const userId of userIds) await cache.forget(userId);
  return { id: facility.id, ...after };
}
