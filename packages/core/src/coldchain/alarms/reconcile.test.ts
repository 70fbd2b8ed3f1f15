import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Episode } from "./episodes";
import { reconcileAlarms, type StoredAlarm } from "./reconcile";

const H = 3_600_000;
function episode(start: number, last: number, endedAt: number | null, peak = 900): Episode {
  return {
    startedAt: start * H,
    lastOutOfRangeAt: last * H,
    endedAt: endedAt === null ? null : endedAt * H,
    peak,
    min: 850,
    exposure: 100,
    durationMs: (last - start) * H,
    alarmAt: (start + 10) * H,
  };
}
function stored(id: number, from: Episode, live = from.endedAt === null): StoredAlarm {
  return {
    id,
    startedAt: from.startedAt,
    openedAt: from.alarmAt,
    detectedAt: null,
    lastOutOfRangeAt: from.lastOutOfRangeAt,
    endedAt: from.endedAt,
    live,
    peakCentiC: from.peak,
    minCentiC: from.min,
    heatExposureCentiDegreeHours: from.exposure,
    durationSeconds: Math.floor(from.durationMs / 1000),
  };
}

describe("reconcileAlarms", () => {
  it("creates an alarm for a new alarmed run and marks the running one", () => {
    const run = episode(0, 12, null);
    expect(reconcileAlarms([], [run])).toEqual({
      creates: [run],
      updates: [],
      retracts: [],
      running: { created: run },
    });
  });

  it("ignores runs that never reached the rule's duration", () => {
    expect(reconcileAlarms([], [{ ...episode(0, 5, 6), alarmAt: null }])).toEqual({
      creates: [],
      updates: [],
      retracts: [],
      running: null,
    });
  });

  it("leaves an unchanged alarm alone, and resolves a live one whose run has ended", () => {
    const running = episode(0, 12, null);
    expect(reconcileAlarms([stored(1, running)], [running])).toMatchObject({ updates: [], running: { alarmId: 1 } });
    const ended = episode(0, 12, 13);
    expect(reconcileAlarms([stored(1, running)], [ended])).toEqual({
      creates: [],
      updates: [{ alarmId: 1, episode: ended, resolve: true, moved: false }],
      retracts: [],
      running: null,
    });
  });

  it("a split run keeps the alarm on its first part and creates one for a second long part", () => {
    const before = episode(0, 30, 31);
    const first = episode(0, 14, 15);
    const second = episode(15.5, 30, 31);
    expect(reconcileAlarms([stored(7, before)], [first, second])).toEqual({
      creates: [second],
      updates: [{ alarmId: 7, episode: first, resolve: false, moved: false }],
      retracts: [],
      running: null,
    });
  });

  it.each([
    // what the late readings changed, stored alarm, recomputed run, moved?
    ["an earlier start (late out-of-range readings before it)", episode(2, 14, null), episode(0, 14, null), true],
    ["a later start (the first part of a split run was short)", episode(0, 14, 15), episode(1, 14, 15), true],
    [
      "only the opened time (a late reading inside the run reached the duration sooner)",
      { ...episode(0, 14, null), alarmAt: 11 * H },
      episode(0, 14, null),
      true,
    ],
    ["only the end, peak and duration", episode(0, 12, null), { ...episode(0, 14, 15), peak: 990 }, false],
    ["nothing but the opened time is unknown (an alarm from before it was kept)", null, episode(0, 14, null), true],
  ] as const)("an update says whether the start or opened time moved: %s", (_, before, after, moved) => {
    const alarm: StoredAlarm = before === null ? { ...stored(5, after), openedAt: null } : stored(5, before);
    expect(reconcileAlarms([alarm], [after]).updates).toEqual([
      { alarmId: 5, episode: after, resolve: after.endedAt !== null && alarm.live, moved },
    ]);
  });

  it("retracts alarms no run supports", () => {
    const gone = stored(3, episode(0, 12, 13));
    expect(reconcileAlarms([gone], [])).toMatchObject({ retracts: [gone] });
  });

  it("a run still going on matches only a live alarm", () => {
    const resolved = stored(4, episode(0, 12, 13), false);
    const running = episode(0, 14, null);
    expect(reconcileAlarms([resolved], [running])).toEqual({
      creates: [running],
      updates: [],
      retracts: [resolved],
      running: { created: running },
    });
  });

  it("is a no-op when the stored alarms already are the runs (redelivery)", () => {
    const runs = fc
      .array(fc.tuple(fc.integer({ min: 10, max: 30 }), fc.integer({ min: 1, max: 5 })), { maxLength: 6 })
      .map((parts) => {
        let at = 0;
        return parts.map(([length, gap], i) => {
          const run = episode(at, at + length, i === parts.length - 1 && gap === 1 ? null : at + length + gap);
          at += length + gap + 1;
          return run;
        });
      });
    fc.assert(
      fc.property(runs, (list) => {
        const plan = reconcileAlarms(
          list.map((run, i) => stored(i + 1, run)),
          list,
        );
        expect(plan.creates).toEqual([]);
        expect(plan.updates).toEqual([]);
        expect(plan.retracts).toEqual([]);
      }),
    );
  });
});
