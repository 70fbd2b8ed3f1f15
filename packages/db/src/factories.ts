import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Executor } from "./client";
import { hashSecret } from "./passwords";
import { equipment, type OrgUnit, type OrgUnitLevel, orgUnits, type Role, sensors, users } from "./schema";

/**
 * Small builders for tests: each inserts one consistent row (paths computed from real ids) and
 * returns it. Shared by every package's tests so fixtures are not copied around.
 */
const unique = () => randomBytes(4).toString("hex");

export async function createOrgUnit(
  db: Executor,
  input: { parent: OrgUnit | null; level: OrgUnitLevel; name?: string; code?: string },
): Promise<OrgUnit> {
  const code = input.code ?? `${input.level}-${unique()}`;
  const [{ id }] = (await db
    .insert(orgUnits)
    .values({
      parentId: input.parent?.id ?? null,
      level: input.level,
      code,
      name: input.name ?? code,
      path: "",
      depth: input.parent ? input.parent.depth + 1 : 0,
      facilityType: input.level === "facility" ? "puskesmas" : null,
    })
    .$returningId()) as [{ id: number }];
  const path = `${input.parent?.path ?? "/"}${id}/`;
  await db.update(orgUnits).set({ path }).where(eq(orgUnits.id, id));
  const [unit] = await db.select().from(orgUnits).where(eq(orgUnits.id, id));
  if (!unit) throw new Error(`org unit ${id} vanished after insert`);
  return unit;
}

let cachedHash: { password: string; hash: Promise<string> } | undefined;

export async function createUser(
  db: Executor,
  input: { orgUnit: OrgUnit; role: Role; password?: string; email?: string; active?: boolean },
) {
  const password = input.password ?? "correct horse battery staple";
  // Hashing is deliberately slow; tests reuse one hash for the default password.
  if (cachedHash?.password !== password) cachedHash = { password, hash: hashSecret(password) };
  const email = input.email ?? `${input.role}-${unique()}@test.rantai.id`;
  const [{ id }] = (await db
    .insert(users)
    .values({
      email,
      name: `${input.role} ${input.orgUnit.name}`,
      passwordHash: await cachedHash.hash,
      role: input.role,
      orgUnitId: input.orgUnit.id,
      active: input.active ?? true,
    })
    .$returningId()) as [{ id: number }];
  return { id, email, password, role: input.role, orgUnitId: input.orgUnit.id };
}

export async function createFridgeWithSensor(
  db: Executor,
  input: { facility: OrgUnit; name?: string; deviceId?: string; credentialHash?: string },
) {
  const [{ id: equipmentId }] = (await db
    .insert(equipment)
    .values({
      facilityId: input.facility.id,
      kind: "refrigerator",
      name: input.name ?? "Vaccine fridge",
      model: "VLS 054A",
    })
    .$returningId()) as [{ id: number }];
  const deviceId = input.deviceId ?? `TEST-${unique()}`;
  const [{ id: sensorId }] = (await db
    .insert(sensors)
    .values({
      deviceId,
      equipmentId,
      credentialHash: input.credentialHash ?? "not-a-usable-hash",
      credentialIssuedAt: new Date(),
      expectedIntervalSeconds: 300,
    })
    .$returningId()) as [{ id: number }];
  return { equipmentId, sensorId, deviceId };
}
