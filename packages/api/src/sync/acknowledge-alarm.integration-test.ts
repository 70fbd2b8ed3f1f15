import type { TSyncAction, TSyncActionResult } from "@rantai/core/sync";
import { createTestAlarm } from "@rantai/core/testing";
import { type AlarmType, alarms, auditLog } from "@rantai/db";
import { and, count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newKey } from "../stock/test-fixtures";
import { type ApiTestWorld, createApiTestWorld, errorOf } from "../testing";
import { phoneClient } from "./testing";

/**
 * An alarm acknowledged on a phone offline reaches the server as a queued sync action: applied
 * once however often the push is replayed, and refused for an alarm outside the pushing facility.
 */
let world: ApiTestWorld;
beforeAll(async () => {
  world = await createApiTestWorld("syncack");
});
afterAll(async () => {
  await world?.destroy();
});

const statuses = (results: readonly TSyncActionResult[]) => results.map((result) => result.status);

/** A live alarm; one per sensor and type, so each test raises its own type. */
async function alarmAt(facility: "facilityA1" | "facilityA2", type: AlarmType): Promise<number> {
  return createTestAlarm(world.db, { ...world.fridges[facility], facilityId: world.units[facility].id }, { type });
}

function acknowledge(alarmId: number, comment = "Called the technician"): TSyncAction {
  return {
    kind: "coldchain.acknowledgeAlarm",
    clientTime: new Date(),
    input: { idempotencyKey: newKey(), alarmId, comment },
  };
}

async function acknowledgementsWritten(alarmId: number): Promise<number> {
  const [row] = await world.db
    .select({ n: count() })
    .from(auditLog)
    .where(
      and(
        eq(auditLog.action, "coldchain.alarms.acknowledge"),
        eq(auditLog.outcome, "success"),
        eq(auditLog.entityId, String(alarmId)),
      ),
    );
  return row?.n ?? 0;
}

describe("sync.push coldchain.acknowledgeAlarm", () => {
  it("acknowledges once over 3 sequential and 3 concurrent replays, answering the stored receipt", async () => {
    const alarmId = await alarmAt("facilityA1", "heat");
    const api = await world.callerFor(world.people.facilityStaffA1.id);
    const batch = phoneClient(world.units.facilityA1.id).push([acknowledge(alarmId)]);

    const first = await api.sync.push(batch);
    expect(statuses(first.results)).toEqual(["applied"]);
    const receipt = first.results[0]?.status === "applied" ? first.results[0].result : null;
    expect(receipt).toMatchObject({ alarmId, status: "acknowledged", comment: "Called the technician" });

    for (let replay = 0; replay < 3; replay++) {
      const again = await api.sync.push(batch);
      expect(again.results).toEqual([{ ...first.results[0], status: "duplicate" }]);
    }
    const concurrent = await Promise.all([api.sync.push(batch), api.sync.push(batch), api.sync.push(batch)]);
    for (const answer of concurrent) expect(statuses(answer.results)).toEqual(["duplicate"]);

    const [row] = await world.db.select().from(alarms).where(eq(alarms.id, alarmId));
    expect(row).toMatchObject({
      status: "acknowledged",
      acknowledgedBy: world.people.facilityStaffA1.id,
      acknowledgementComment: "Called the technician",
    });
    expect(await acknowledgementsWritten(alarmId)).toBe(1);

    // A second acknowledgement of the same alarm (another key: another phone) is refused with the reason.
    const second = await api.sync.push(phoneClient(world.units.facilityA1.id).push([acknowledge(alarmId)]));
    expect(second.results[0]?.status === "rejected" && second.results[0].reason).toBe(
      "coldchain.alarm_already_acknowledged",
    );
    expect(await acknowledgementsWritten(alarmId)).toBe(1);
  });

  it("validates the action with the console's schema: a comment is required", async () => {
    const alarmId = await alarmAt("facilityA1", "freeze");
    const api = await world.callerFor(world.people.facilityStaffA1.id);
    const blank = api.sync.push(phoneClient(world.units.facilityA1.id).push([acknowledge(alarmId, "   ")]));
    expect((await errorOf(blank)).code).toBe("BAD_REQUEST");
    expect(await acknowledgementsWritten(alarmId)).toBe(0);
  });

  it("refuses another facility's alarm, in the user's own push or in one for that facility", async () => {
    const alarmId = await alarmAt("facilityA1", "excursion");
    const other = await world.callerFor(world.people.facilityStaffB1.id);
    const own = await other.sync.push(phoneClient(world.units.facilityB1.id).push([acknowledge(alarmId)]));
    expect(own.results[0]?.status === "rejected" && own.results[0].reason).toBe("scope.forbidden");
    const foreign = other.sync.push(phoneClient(world.units.facilityA1.id).push([acknowledge(alarmId)]));
    expect((await errorOf(foreign)).code).toBe("FORBIDDEN");

    // A district officer may reach both facilities, but a push speaks for one: A2's alarm is not A1's.
    const neighbour = await alarmAt("facilityA2", "heat");
    const district = await world.callerFor(world.people.districtOfficerA.id);
    const mixed = await district.sync.push(phoneClient(world.units.facilityA1.id).push([acknowledge(neighbour)]));
    expect(mixed.results[0]?.status === "rejected" && mixed.results[0].reason).toBe("scope.forbidden");

    const [a1, a2] = await Promise.all(
      [alarmId, neighbour].map(async (id) => (await world.db.select().from(alarms).where(eq(alarms.id, id)))[0]),
    );
    expect(a1?.acknowledgedAt).toBeNull();
    expect(a2?.acknowledgedAt).toBeNull();
    const [denials] = await world.db
      .select({ n: count() })
      .from(auditLog)
      .where(and(eq(auditLog.action, "coldchain.acknowledgeAlarm"), eq(auditLog.outcome, "denied")));
    expect(denials?.n).toBe(2);
  });
});

describe("sync.pull alarm history", () => {
  it("sends on the first pull the live alarms and those of the last 30 days, with their acknowledgement", async () => {
    const fridge = { ...world.fridges.facilityA1, facilityId: world.units.facilityA1.id };
    const day = 86_400_000;
    const recent = await createTestAlarm(world.db, fridge, {
      status: "resolved",
      startedAt: new Date(Date.now() - 5 * day),
    });
    const old = await createTestAlarm(world.db, fridge, {
      status: "resolved",
      startedAt: new Date(Date.now() - 40 * day),
    });
    const api = await world.callerFor(world.people.facilityStaffA1.id);
    await api.sync.push(
      phoneClient(world.units.facilityA1.id).push([acknowledge(recent, "Moved the vaccines: to the cold box")]),
    );

    const first = await api.sync.pull({ orgUnitId: world.units.facilityA1.id });
    const ids = first.states?.alarms.map((alarm) => alarm.id) ?? [];
    expect(ids).toContain(recent);
    expect(ids).not.toContain(old);
    expect(first.states?.alarms.find((alarm) => alarm.id === recent)).toMatchObject({
      status: "resolved",
      durationSeconds: 36_000,
      peakCentiC: 950,
      acknowledgementComment: "Moved the vaccines: to the cold box",
    });
  });
});
