import { forbiddenMessage } from "@rantai/core/kernel";
import { applyReadings, createTestAlarm, readingRow } from "@rantai/core/testing";
import { alarms, auditLog, notificationOutbox } from "@rantai/db";
import { TRPCError } from "@trpc/server";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestWorld, createApiTestWorld } from "../../testing";

let world: ApiTestWorld;
const fridgeAt = (key: "facilityA1" | "facilityA2" | "facilityB1") => ({
  ...world.fridges[key],
  facilityId: world.units[key].id,
});

beforeAll(async () => {
  world = await createApiTestWorld("alarmsapi");
});
afterAll(async () => {
  await world?.destroy();
});

async function caught(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => null,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

const deniedAudits = (userId: number, action: string) =>
  world.db.$count(
    auditLog,
    and(eq(auditLog.actorUserId, userId), eq(auditLog.outcome, "denied"), eq(auditLog.action, action)),
  );

describe("coldchain.alarms.list", () => {
  it("shows a district officer the alarms of their district only, live by default, newest first", async () => {
    const a1 = await createTestAlarm(world.db, fridgeAt("facilityA1"));
    const a2 = await createTestAlarm(world.db, fridgeAt("facilityA2"), { type: "freeze" });
    const a2Old = await createTestAlarm(world.db, fridgeAt("facilityA2"), { status: "resolved" });
    const b1 = await createTestAlarm(world.db, fridgeAt("facilityB1"));

    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const live = await caller.coldchain.alarms.list({});
    expect(live.items.map((alarm) => alarm.id)).toEqual([a2, a1]);
    expect(live.items[0]).toMatchObject({
      type: "freeze",
      status: "open",
      severity: "alarm",
      facility: { id: world.units.facilityA2.id, name: "Puskesmas Mlati I" },
      sensor: { deviceId: world.fridges.facilityA2.deviceId },
      peak: 9.5,
      unit: "tempC",
      needsAcknowledgement: true,
      acknowledgement: null,
    });

    const waiting = await caller.coldchain.alarms.list({ status: "unacknowledged" });
    expect(waiting.items.map((alarm) => alarm.id)).toEqual([a2Old, a2, a1]);
    expect(waiting.items[0]).toMatchObject({ status: "resolved", needsAcknowledgement: true });

    const all = await caller.coldchain.alarms.list({ status: "all" });
    expect(all.items.map((alarm) => alarm.id)).toEqual([a2Old, a2, a1]);
    expect(all.items.map((alarm) => alarm.id)).not.toContain(b1);

    const firstPage = await caller.coldchain.alarms.list({ status: "all", limit: 2 });
    expect(firstPage.items.map((alarm) => alarm.id)).toEqual([a2Old, a2]);
    const secondPage = await caller.coldchain.alarms.list({
      status: "all",
      limit: 2,
      cursor: firstPage.nextCursor ?? 0,
    });
    expect(secondPage).toMatchObject({ items: [{ id: a1 }], nextCursor: null });

    const staffB = await world.callerFor(world.people.facilityStaffB1.id);
    expect((await staffB.coldchain.alarms.list({})).items.map((alarm) => alarm.id)).toEqual([b1]);
  });

  it("refuses another district's org unit id, and limits over 100", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const forbidden = await caught(caller.coldchain.alarms.list({ orgUnitId: world.units.districtB.id }));
    expect(forbidden).toMatchObject({ code: "FORBIDDEN", message: forbiddenMessage });
    expect((await caught(caller.coldchain.alarms.list({ limit: 101 }))).code).toBe("BAD_REQUEST");
  });
});

describe("coldchain.alarms.get", () => {
  it("returns the alarm with the stock at risk, and FORBIDDEN (audited) for another district's alarm", async () => {
    const own = await createTestAlarm(world.db, fridgeAt("facilityA1"), { status: "resolved" });
    const other = await createTestAlarm(world.db, fridgeAt("facilityB1"), { status: "resolved" });
    const caller = await world.callerFor(world.people.facilityStaffA1.id);

    const alarm = await caller.coldchain.alarms.get({ alarmId: own });
    expect(alarm).toMatchObject({ id: own, type: "heat", stockAtRisk: { facilityId: world.units.facilityA1.id } });
    expect(alarm.stockAtRisk.items).toEqual([]);

    const before = await deniedAudits(world.people.facilityStaffA1.id, "coldchain.alarms.get");
    const refused = await caught(caller.coldchain.alarms.get({ alarmId: other }));
    const missing = await caught(caller.coldchain.alarms.get({ alarmId: 987_654_321 }));
    for (const error of [refused, missing])
      expect(error).toMatchObject({ code: "FORBIDDEN", message: forbiddenMessage });
    expect(await deniedAudits(world.people.facilityStaffA1.id, "coldchain.alarms.get")).toBe(before + 2);
  });
});

describe("coldchain.alarms.acknowledge", () => {
  it("requires a comment", async () => {
    const alarmId = await createTestAlarm(world.db, fridgeAt("facilityA1"), { status: "resolved" });
    const caller = await world.callerFor(world.people.facilityStaffA1.id);
    for (const comment of ["", "   "]) {
      const error = await caught(caller.coldchain.alarms.acknowledge({ alarmId, comment }));
      expect(error.code).toBe("BAD_REQUEST");
      expect(error.message).toContain("a comment is required");
    }
  });

  it("refuses viewers (audited) and other facilities", async () => {
    const alarmId = await createTestAlarm(world.db, fridgeAt("facilityA2"), { status: "resolved" });
    const viewer = await world.callerFor(world.people.viewerA.id);
    const before = await deniedAudits(world.people.viewerA.id, "coldchain.alarms.acknowledge");
    const error = await caught(viewer.coldchain.alarms.acknowledge({ alarmId, comment: "seen" }));
    expect(error).toMatchObject({ code: "FORBIDDEN", message: forbiddenMessage });
    expect(await deniedAudits(world.people.viewerA.id, "coldchain.alarms.acknowledge")).toBe(before + 1);

    const staffA1 = await world.callerFor(world.people.facilityStaffA1.id);
    expect(await caught(staffA1.coldchain.alarms.acknowledge({ alarmId, comment: "seen" }))).toMatchObject({
      code: "FORBIDDEN",
      message: forbiddenMessage,
    });
    const [row] = await world.db.select().from(alarms).where(eq(alarms.id, alarmId));
    expect(row?.acknowledgedAt).toBeNull();
  });

  it("acknowledges once, with a notice and an audit entry; the alarm later resolves and stays acknowledged", async () => {
    const fridge = fridgeAt("facilityA1");
    const t0 = Date.UTC(2025, 4, 1);
    const rows = Array.from({ length: 8 }, (_, i) => readingRow(fridge.sensorId, t0 + i * 600_000, -1));
    for (const row of rows) await applyReadings(world.db, [row], new Date(row.ts.getTime() + 30_000));
    const [freeze] = await world.db
      .select()
      .from(alarms)
      .where(and(eq(alarms.sensorId, fridge.sensorId), eq(alarms.type, "freeze")));
    expect(freeze?.status).toBe("open");
    const alarmId = freeze?.id ?? 0;

    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const acknowledged = await caller.coldchain.alarms.acknowledge({
      alarmId,
      comment: "  Moved the vaccines to the cold box; technician called.  ",
    });
    expect(acknowledged).toMatchObject({
      status: "acknowledged",
      // Rule met at 60 min of device time; raised by the flush 30 s later.
      openedAt: new Date(t0 + 3_600_000),
      detectedAt: new Date(t0 + 3_630_000),
      needsAcknowledgement: false,
      acknowledgement: {
        by: { id: world.people.districtOfficerA.id },
        comment: "Moved the vaccines to the cold box; technician called.",
      },
    });
    const [notice] = await world.db
      .select()
      .from(notificationOutbox)
      .where(eq(notificationOutbox.eventKey, `alarm:${alarmId}:acknowledged`));
    expect(notice).toMatchObject({ kind: "alarm.acknowledged", orgUnitId: fridge.facilityId });
    expect(notice?.payload).toMatchObject({
      acknowledgement: {
        by: world.people.districtOfficerA.id,
        comment: "Moved the vaccines to the cold box; technician called.",
      },
    });
    expect(
      await world.db.$count(
        auditLog,
        and(
          eq(auditLog.action, "coldchain.alarms.acknowledge"),
          eq(auditLog.outcome, "success"),
          eq(auditLog.entityId, String(alarmId)),
        ),
      ),
    ).toBe(1);

    const waiting = await caller.coldchain.alarms.list({ status: "unacknowledged" });
    expect(waiting.items.map((alarm) => alarm.id)).not.toContain(alarmId);
    expect((await caller.coldchain.alarms.list({})).items.map((alarm) => alarm.id)).toContain(alarmId);

    const again = await caught(caller.coldchain.alarms.acknowledge({ alarmId, comment: "again" }));
    expect(again.code).toBe("CONFLICT");

    // Back in range: resolved, still acknowledged, still holding nobody's live key.
    await applyReadings(world.db, [readingRow(fridge.sensorId, t0 + 8 * 600_000, 4)], new Date(t0 + 8 * 600_000));
    const resolved = await caller.coldchain.alarms.get({ alarmId });
    expect(resolved).toMatchObject({
      status: "resolved",
      needsAcknowledgement: false,
      openedAt: new Date(t0 + 3_600_000),
      detectedAt: new Date(t0 + 3_630_000),
      endedAt: new Date(t0 + 80 * 60_000),
    });
    const listed = (await caller.coldchain.alarms.list({ status: "all" })).items.find((alarm) => alarm.id === alarmId);
    expect(listed).toMatchObject({ openedAt: new Date(t0 + 3_600_000), detectedAt: new Date(t0 + 3_630_000) });
    expect(resolved.acknowledgement?.comment).toBe("Moved the vaccines to the cold box; technician called.");
    expect(resolved.stockAtRisk.alarmType).toBe("freeze");
  });

  it("an alarm that ended before anyone acknowledged it stays resolved and waits for acknowledgement", async () => {
    const alarmId = await createTestAlarm(world.db, fridgeAt("facilityB1"), { status: "resolved" });
    const caller = await world.callerFor(world.people.districtOfficerB.id);
    expect((await caller.coldchain.alarms.get({ alarmId })).needsAcknowledgement).toBe(true);
    const acknowledged = await caller.coldchain.alarms.acknowledge({
      alarmId,
      comment: "Checked the VVMs: all stage 1.",
    });
    expect(acknowledged).toMatchObject({ status: "resolved", needsAcknowledgement: false });
  });

  it("has nothing to acknowledge on a retracted alarm, and rejects unknown fields", async () => {
    const alarmId = await createTestAlarm(world.db, fridgeAt("facilityB1"), { status: "retracted" });
    const caller = await world.callerFor(world.people.facilityStaffB1.id);
    const error = await caught(caller.coldchain.alarms.acknowledge({ alarmId, comment: "ok" }));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toContain("withdrawn");
    const withStatus = { alarmId, comment: "ok", status: "resolved" }; // a field clients may not set
    const strict = await caught(caller.coldchain.alarms.acknowledge(withStatus));
    expect(strict.code).toBe("BAD_REQUEST");
  });
});
