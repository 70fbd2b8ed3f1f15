import { describe, expect, it } from "vitest";
import { emptyLocalData, type LocalAlarm, type LocalData } from "./local-store";
import { checkAction, LocalRejection, shownAlarms } from "./optimistic";
import type { SyncAction } from "./types";

const alarm = (id: number, overrides: Partial<LocalAlarm> = {}): LocalAlarm => ({
  id,
  equipmentId: 3,
  sensorId: 4,
  type: "heat",
  status: "open",
  startedAt: `2026-12-0${id}T01:00:00.000Z`,
  endedAt: null,
  durationSeconds: 36_000,
  peakCentiC: 950,
  minCentiC: 820,
  acknowledgedAt: null,
  acknowledgementComment: null,
  updatedAt: `2026-12-0${id}T11:00:00.000Z`,
  ...overrides,
});

function dataWith(...alarms: LocalAlarm[]): LocalData {
  return { ...emptyLocalData(), alarms: Object.fromEntries(alarms.map((row) => [String(row.id), row])) };
}

const acknowledge = (alarmId: number, comment = "Called the technician"): SyncAction => ({
  kind: "coldchain.acknowledgeAlarm",
  clientTime: new Date("2026-12-05T08:30:00.000Z"),
  input: { idempotencyKey: crypto.randomUUID(), alarmId, comment },
});

describe("alarms as the phone shows them", () => {
  it("lists the facility's alarms newest first, as pulled when nothing is pending", () => {
    const shown = shownAlarms(dataWith(alarm(1), alarm(3, { status: "resolved" }), alarm(2)), []);
    expect(shown.map((row) => [row.id, row.pendingAcknowledgement])).toEqual([
      [3, false],
      [2, false],
      [1, false],
    ]);
  });

  it("shows a queued acknowledgement at once: a live alarm acknowledged, an ended one keeps its status", () => {
    const data = dataWith(alarm(1), alarm(2, { status: "resolved", endedAt: "2026-12-02T12:00:00.000Z" }));
    const shown = shownAlarms(data, [acknowledge(1), acknowledge(2, "Moved the vaccines")]);
    expect(shown.find((row) => row.id === 1)).toMatchObject({
      status: "acknowledged",
      acknowledgedAt: "2026-12-05T08:30:00.000Z",
      acknowledgementComment: "Called the technician",
      pendingAcknowledgement: true,
    });
    expect(shown.find((row) => row.id === 2)).toMatchObject({
      status: "resolved",
      acknowledgementComment: "Moved the vaccines",
      pendingAcknowledgement: true,
    });
    // The pulled data itself is left as the server sent it.
    expect(data.alarms["1"]?.acknowledgedAt).toBeNull();
  });

  it("keeps what the server says once a pull brings the acknowledgement", () => {
    const pulled = alarm(1, {
      status: "acknowledged",
      acknowledgedAt: "2026-12-05T08:31:00.000Z",
      acknowledgementComment: "Another phone was first",
    });
    const [shown] = shownAlarms(dataWith(pulled), [acknowledge(1)]);
    expect(shown).toMatchObject({ acknowledgementComment: "Another phone was first", pendingAcknowledgement: false });
  });

  it("refuses locally a second acknowledgement, or one of a withdrawn alarm, with the server's reasons", () => {
    const now = new Date("2026-12-05T09:00:00.000Z");
    const data = dataWith(alarm(1), alarm(2, { status: "retracted" }));
    expect(() => checkAction(data, [], acknowledge(1), now)).not.toThrow();
    const twice = () => checkAction(data, [acknowledge(1)], acknowledge(1), now);
    expect(twice).toThrow(LocalRejection);
    expect(twice).toThrow("coldchain.alarm_already_acknowledged");
    expect(() => checkAction(data, [], acknowledge(2), now)).toThrow("coldchain.alarm_retracted");
    // An alarm the phone has not pulled is left to the server.
    expect(() => checkAction(data, [], acknowledge(9), now)).not.toThrow();
  });
});
