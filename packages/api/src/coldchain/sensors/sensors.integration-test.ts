import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { hashBrokerPassword, parseBrokerPasswordHash, verifyBrokerPassword } from "@rantai/core/coldchain/sensors";
import { uniqueDeviceId } from "@rantai/core/testing";
import { auditLog, equipment, sensors } from "@rantai/db";
import { verifySecret } from "@rantai/db/passwords";
import { TRPCError } from "@trpc/server";
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestWorld, createApiTestWorld } from "../../testing";

let world: ApiTestWorld;
beforeAll(async () => {
  world = await createApiTestWorld("sensors");
});
afterAll(async () => {
  await world?.destroy();
});

async function codeOf(promise: Promise<unknown>): Promise<string | null> {
  return promise.then(
    () => null,
    (error: unknown) => (error instanceof TRPCError ? error.code : String(error)),
  );
}

const sensorRow = async (sensorId: number) => {
  const [row] = await world.db.select().from(sensors).where(eq(sensors.id, sensorId));
  if (!row) throw new Error(`sensor ${sensorId} missing`);
  return row;
};

const lastAudit = async (action: string) => {
  const [row] = await world.db
    .select()
    .from(auditLog)
    .where(and(eq(auditLog.action, action), eq(auditLog.outcome, "success")))
    .orderBy(desc(auditLog.id))
    .limit(1);
  return row;
};

describe("coldchain.sensors", () => {
  it("registers a sensor and returns its credential once; only hashes are stored", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const deviceId = uniqueDeviceId("RTS-NEW");
    const result = await caller.coldchain.sensors.register({
      equipmentId: world.fridges.facilityA1.equipmentId,
      deviceId,
    });
    expect(result.mqtt).toEqual({
      username: deviceId,
      password: expect.stringMatching(/^[A-Za-z0-9_-]{32}$/),
      readingsTopic: `coldchain/v1/sensors/${deviceId}/readings`,
      statusTopic: `coldchain/v1/sensors/${deviceId}/status`,
    });
    expect(JSON.stringify(result)).not.toMatch(/argon2|\$7\$/);

    const row = await sensorRow(result.sensorId);
    expect(row).toMatchObject({ deviceId, equipmentId: world.fridges.facilityA1.equipmentId, active: true });
    expect(await verifySecret(row.credentialHash, result.mqtt.password)).toBe(true);
    expect(row.brokerPasswordHash).toMatch(/^\$7\$101\$/);
    expect(await verifyBrokerPassword(row.brokerPasswordHash ?? "", result.mqtt.password)).toBe(true);

    const audit = await lastAudit("coldchain.sensors.register");
    expect(audit).toMatchObject({ entityType: "sensor", entityId: String(result.sensorId) });
    expect(JSON.stringify(audit)).not.toContain(result.mqtt.password);
    expect(JSON.stringify(audit)).not.toMatch(/argon2|\$7\$/);
  });

  it("refuses a taken device id, reserved names, ':' and unknown fields", async () => {
    const caller = await world.callerFor(world.people.provinceOfficer.id);
    const equipmentId = world.fridges.facilityB1.equipmentId;
    const taken = world.fridges.facilityA2.deviceId;
    expect(await codeOf(caller.coldchain.sensors.register({ equipmentId, deviceId: taken }))).toBe("CONFLICT");
    expect(await codeOf(caller.coldchain.sensors.register({ equipmentId, deviceId: "ingest" }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.coldchain.sensors.register({ equipmentId, deviceId: "RTS:1" }))).toBe("BAD_REQUEST");
    expect(await codeOf(caller.coldchain.sensors.register({ equipmentId, deviceId: "a/b" }))).toBe("BAD_REQUEST");
    const withExtra = { equipmentId, deviceId: uniqueDeviceId(), active: false } as unknown as {
      equipmentId: number;
      deviceId: string;
    };
    expect(await codeOf(caller.coldchain.sensors.register(withExtra))).toBe("BAD_REQUEST");
  });

  it("refuses decommissioned equipment", async () => {
    const caller = await world.callerFor(world.people.districtOfficerB.id);
    const [{ id }] = (await world.db
      .insert(equipment)
      .values({ facilityId: world.units.facilityB1.id, kind: "refrigerator", name: "Old", status: "decommissioned" })
      .$returningId()) as [{ id: number }];
    const code = await codeOf(caller.coldchain.sensors.register({ equipmentId: id, deviceId: uniqueDeviceId() }));
    expect(code).toBe("UNPROCESSABLE_CONTENT");
  });

  it("rotates a credential: the old secret stops verifying, the new one works", async () => {
    const caller = await world.callerFor(world.people.nationalAdmin.id);
    const registered = await caller.coldchain.sensors.register({
      equipmentId: world.fridges.facilityA2.equipmentId,
      deviceId: uniqueDeviceId("RTS-ROT"),
    });
    const before = await sensorRow(registered.sensorId);
    const rotated = await caller.coldchain.sensors.rotateCredential({ sensorId: registered.sensorId });
    expect(rotated.mqtt.password).not.toBe(registered.mqtt.password);
    const after = await sensorRow(registered.sensorId);
    expect(after.credentialIssuedAt.getTime()).toBeGreaterThanOrEqual(before.credentialIssuedAt.getTime());
    expect(await verifyBrokerPassword(after.brokerPasswordHash ?? "", registered.mqtt.password)).toBe(false);
    expect(await verifyBrokerPassword(after.brokerPasswordHash ?? "", rotated.mqtt.password)).toBe(true);
    expect(await verifySecret(after.credentialHash, rotated.mqtt.password)).toBe(true);
    expect(await lastAudit("coldchain.sensors.rotateCredential")).toMatchObject({
      entityId: String(registered.sensorId),
    });
  });

  it("deactivates and reactivates a sensor, auditing before and after", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const { sensorId } = world.fridges.facilityA1;
    expect(await caller.coldchain.sensors.setActive({ sensorId, active: false })).toMatchObject({ active: false });
    expect((await sensorRow(sensorId)).active).toBe(false);
    expect(await lastAudit("coldchain.sensors.setActive")).toMatchObject({
      before: { active: true },
      after: { active: false },
    });
    await caller.coldchain.sensors.setActive({ sensorId, active: true });
    expect((await sensorRow(sensorId)).active).toBe(true);
  });

  it("facility staff and viewers may not manage sensors even in their own facility", async () => {
    const staff = await world.callerFor(world.people.facilityStaffA1.id);
    const { sensorId, equipmentId } = world.fridges.facilityA1;
    expect(await codeOf(staff.coldchain.sensors.setActive({ sensorId, active: false }))).toBe("FORBIDDEN");
    expect(await codeOf(staff.coldchain.sensors.rotateCredential({ sensorId }))).toBe("FORBIDDEN");
    const viewer = await world.callerFor(world.people.viewerA.id);
    const code = await codeOf(viewer.coldchain.sensors.register({ equipmentId, deviceId: uniqueDeviceId() }));
    expect(code).toBe("FORBIDDEN");
    expect((await sensorRow(sensorId)).active).toBe(true);
  });
});

describe("broker password hashes and mosquitto_passwd", () => {
  const dir = mkdtempSync(join(tmpdir(), "rantai-passwd-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("mosquitto_passwd -U hashes exactly as we do for the same salt, and we verify what it writes", async () => {
    const file = join(dir, "passwords");
    writeFileSync(file, "dev-a:first secret\ndev-b:zweites-Geheimnis\n");
    const result = spawnSync("mosquitto_passwd", ["-U", file], { encoding: "utf8" });
    expect(result.status, result.stderr).toBe(0);
    const lines = new Map(
      readFileSync(file, "utf8")
        .trim()
        .split("\n")
        .map((line) => [line.slice(0, line.indexOf(":")), line.slice(line.indexOf(":") + 1)] as const),
    );
    for (const [user, secret] of [
      ["dev-a", "first secret"],
      ["dev-b", "zweites-Geheimnis"],
    ] as const) {
      const theirs = lines.get(user) ?? "";
      expect(await verifyBrokerPassword(theirs, secret)).toBe(true);
      const parsed = parseBrokerPasswordHash(theirs);
      expect(await hashBrokerPassword(secret, { salt: parsed?.salt, iterations: parsed?.iterations })).toBe(theirs);
    }
  });
});
