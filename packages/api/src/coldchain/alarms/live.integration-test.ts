import type { LiveAlarmMessage } from "@rantai/core/coldchain/alarms";
import { applyReadings, createTestAlarm, readingRow } from "@rantai/core/testing";
import { alarms, type OrgUnit } from "@rantai/db";
import { createFridgeWithSensor } from "@rantai/db/factories";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ApiTestWorld, createApiTestWorld, errorOf } from "../../testing";

const MIN = 60_000;
const HOUR = 60 * MIN;

let world: ApiTestWorld;

beforeAll(async () => {
  world = await createApiTestWorld("alarms-live");
});
afterAll(async () => {
  await world?.destroy();
});

/** A subscription read one message at a time, each within a deadline; ended by `close`. */
async function subscribe(caller: Awaited<ReturnType<ApiTestWorld["callerFor"]>>, orgUnitId?: number) {
  const stream = await caller.coldchain.alarms.watch(orgUnitId === undefined ? {} : { orgUnitId });
  const iterator = stream[Symbol.asyncIterator]();
  return {
    async next(timeoutMs = 5_000): Promise<LiveAlarmMessage | "timeout"> {
      const timeout = new Promise<"timeout">((resolve) => setTimeout(() => resolve("timeout"), timeoutMs));
      const next = iterator.next().then((result) => (result.done ? "timeout" : (result.value as LiveAlarmMessage)));
      return Promise.race([next, timeout]);
    },
    close() {
      void iterator.return?.();
    },
  };
}

/** A real HEAT alarm (10 h above +8 °C) raised at a fridge of `facility` through the alarm engine. */
async function raiseHeat(facility: OrgUnit) {
  const fridge = await createFridgeWithSensor(world.db, { facility });
  const start = Date.now() - 12 * HOUR;
  const rows = Array.from({ length: 62 }, (_, i) => readingRow(fridge.sensorId, start + i * 10 * MIN, 9));
  const outcome = await applyReadings(world.db, rows, new Date());
  const [alarm] = await world.db.select().from(alarms).where(eq(alarms.sensorId, fridge.sensorId)).limit(1);
  if (!alarm) throw new Error("no alarm raised");
  return { outcome, alarmId: alarm.id };
}

describe("live alarm inbox (coldchain.alarms.watch)", () => {
  it("delivers the committed alarms of the caller's area, never another district's", async () => {
    const { units, people } = world;
    const inbox = await subscribe(await world.callerFor(people.districtOfficerA.id));
    expect(await inbox.next()).toEqual({ kind: "ready" });

    // Bantul's alarm is published first: were it delivered, it would arrive before Sleman's.
    const bantul = await raiseHeat(units.facilityB1);
    const sleman = await raiseHeat(units.facilityA1);
    // Twelve hours of readings at once: a logger's buffer, so the notices say "late".
    expect(bantul.outcome.notices.map((notice) => notice.alarmId)).toContain(bantul.alarmId);
    await world.alarmNotices.publish(world.db, bantul.outcome.notices);
    await world.alarmNotices.publish(world.db, sleman.outcome.notices);

    const delivered: number[] = [];
    for (let message = await inbox.next(); message !== "timeout"; message = await inbox.next(1_000)) {
      expect(message.kind).toBe("changed");
      if (message.kind === "changed") delivered.push(message.alarmId);
    }
    // HEAT and the EXCURSION warning of Sleman's fridge; nothing of Bantul's.
    expect(new Set(delivered)).toEqual(new Set(sleman.outcome.notices.map((notice) => notice.alarmId)));
    expect(delivered).toContain(sleman.alarmId);
    expect(delivered).not.toContain(bantul.alarmId);
    inbox.close();

    // Bantul's own officer hears Bantul's alarm.
    const bantulInbox = await subscribe(await world.callerFor(people.districtOfficerB.id));
    expect(await bantulInbox.next()).toEqual({ kind: "ready" });
    await world.alarmNotices.publish(world.db, bantul.outcome.notices);
    expect(await bantulInbox.next()).toMatchObject({ kind: "changed", alarmId: bantul.alarmId });
    bantulInbox.close();
  });

  it("an acknowledgement is announced after it committed", async () => {
    const { units, people } = world;
    const { alarmId } = await raiseHeat(units.facilityA2);
    const inbox = await subscribe(await world.callerFor(people.provinceOfficer.id));
    expect(await inbox.next()).toEqual({ kind: "ready" });
    const staff = await world.callerFor(people.districtOfficerA.id);
    const acknowledged = staff.coldchain.alarms.acknowledge({ alarmId, comment: "Door closed, recovering" });
    const message = await inbox.next();
    expect(message).toEqual({ kind: "changed", alarmId, event: "acknowledged" });
    // Told only once the row is committed: another connection already reads it acknowledged.
    const [row] = await world.db.select().from(alarms).where(eq(alarms.id, alarmId));
    expect(row?.acknowledgementComment).toBe("Door closed, recovering");
    await acknowledged;
    inbox.close();
  });

  it("refuses a stream of another district's unit", async () => {
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    const error = await errorOf(subscribe(caller, world.units.districtB.id));
    expect(error.code).toBe("FORBIDDEN");
  });
});

describe("alarm inbox filters and assignment", () => {
  it("filters by age bucket (as the overview counts them) and by type", async () => {
    const facility = world.units.facilityA2;
    const ids: Record<string, number> = {};
    for (const [bucket, hoursAgo] of [
      ["under_1_day", 2],
      ["1_to_7_days", 72],
      ["over_7_days", 240],
    ] as const) {
      const fridge = await createFridgeWithSensor(world.db, { facility });
      ids[bucket] = await createTestAlarm(
        world.db,
        { ...fridge, facilityId: facility.id },
        { type: "freeze", startedAt: new Date(Date.now() - hoursAgo * HOUR) },
      );
    }
    const caller = await world.callerFor(world.people.districtOfficerA.id);
    for (const bucket of ["under_1_day", "1_to_7_days", "over_7_days"] as const) {
      const { items } = await caller.coldchain.alarms.list({ orgUnitId: facility.id, type: "freeze", age: bucket });
      expect(items.map((item) => item.id)).toEqual([ids[bucket]]);
    }
    const heat = await caller.coldchain.alarms.list({ orgUnitId: facility.id, type: "heat" });
    expect(heat.items.every((item) => item.type === "heat")).toBe(true);
  });

  it("assigns to a user who may act on the alarm in the caller's scope, and nobody else", async () => {
    const { units, people } = world;
    const { alarmId } = await raiseHeat(units.facilityA1);
    const officer = await world.callerFor(people.districtOfficerA.id);

    const assignees = await officer.coldchain.alarms.assignees({ alarmId });
    const names = assignees.map((user) => user.id);
    expect(names).toContain(people.facilityStaffA1.id);
    expect(names).toContain(people.districtOfficerA.id);
    expect(names).not.toContain(people.viewerA.id);
    expect(names).not.toContain(people.facilityStaffB1.id);
    expect(names).not.toContain(people.provinceOfficer.id);

    const inbox = await subscribe(officer);
    expect(await inbox.next()).toEqual({ kind: "ready" });
    const assigned = await officer.coldchain.alarms.assign({ alarmId, assigneeUserId: people.facilityStaffA1.id });
    expect(assigned.assignee).toMatchObject({ id: people.facilityStaffA1.id });
    expect(await inbox.next()).toEqual({ kind: "changed", alarmId, event: "assigned" });
    inbox.close();

    const otherDistrict = await errorOf(
      officer.coldchain.alarms.assign({ alarmId, assigneeUserId: people.facilityStaffB1.id }),
    );
    expect(otherDistrict.code).toBe("FORBIDDEN");
    const viewer = await errorOf(officer.coldchain.alarms.assign({ alarmId, assigneeUserId: people.viewerA.id }));
    expect(viewer.cause).toMatchObject({ reason: "coldchain.alarm_assignee_ineligible" });
    const viewerCaller = await world.callerFor(people.viewerA.id);
    expect((await errorOf(viewerCaller.coldchain.alarms.assign({ alarmId, assigneeUserId: null }))).code).toBe(
      "FORBIDDEN",
    );
    const unassigned = await officer.coldchain.alarms.assign({ alarmId, assigneeUserId: null });
    expect(unassigned.assignee).toBeNull();
  });
});
