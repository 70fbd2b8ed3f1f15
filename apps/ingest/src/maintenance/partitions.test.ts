import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { dailyPartitionName, fromDays, type PartitionInfo, planPartitions, toDays } from "./partitions";

const at = (iso: string) => new Date(`${iso}T12:34:56Z`);
const days = (iso: string) => toDays(new Date(`${iso}T00:00:00Z`));
const migrated: PartitionInfo[] = [
  { name: "p_history", description: String(days("2020-01-01")) },
  { name: "p_future", description: "MAXVALUE" },
];
/** The partitions after applying a plan's additions and drops (what MySQL would list). */
function apply(partitions: readonly PartitionInfo[], plan: ReturnType<typeof planPartitions>): PartitionInfo[] {
  const kept = partitions.filter((p) => !plan.dropped.includes(p.name) && p.name !== "p_future");
  const added = plan.added.map((name) => ({
    name,
    description: String(days(`${name.slice(1, 5)}-${name.slice(5, 7)}-${name.slice(7, 9)}`) + 1),
  }));
  return [...kept, ...added, { name: "p_future", description: "MAXVALUE" }];
}

describe("TO_DAYS arithmetic", () => {
  it("matches MySQL's TO_DAYS for known dates", () => {
    expect(toDays(new Date("1970-01-01T00:00:00Z"))).toBe(719_528);
    expect(toDays(new Date("2020-01-01T23:59:59.999Z"))).toBe(737_790);
    expect(fromDays(737_790).toISOString()).toBe("2020-01-01T00:00:00.000Z");
    expect(dailyPartitionName(days("2025-01-31"))).toBe("p20250131");
  });
});

describe("planPartitions", () => {
  it("first run: splits p_future into today … today + N, the first one holding all history", () => {
    const plan = planPartitions({
      table: "readings",
      partitions: migrated,
      now: at("2025-01-30"),
      retentionDays: 400,
      daysAhead: 3,
    });
    expect(plan.added).toEqual(["p20250130", "p20250131", "p20250201", "p20250202"]);
    expect(plan.dropped).toEqual([]);
    expect(plan.statements).toEqual([
      "ALTER TABLE `readings` REORGANIZE PARTITION `p_future` INTO (" +
        `PARTITION \`p20250130\` VALUES LESS THAN (${days("2025-01-31")}), ` +
        `PARTITION \`p20250131\` VALUES LESS THAN (${days("2025-02-01")}), ` +
        `PARTITION \`p20250201\` VALUES LESS THAN (${days("2025-02-02")}), ` +
        `PARTITION \`p20250202\` VALUES LESS THAN (${days("2025-02-03")}), ` +
        "PARTITION `p_future` VALUES LESS THAN MAXVALUE)",
    ]);
  });

  it("is a no-op when run again the same day, and adds one day the next day", () => {
    const input = { table: "readings", now: at("2025-01-30"), retentionDays: 400, daysAhead: 3 };
    const after = apply(migrated, planPartitions({ ...input, partitions: migrated }));
    expect(planPartitions({ ...input, partitions: after }).statements).toEqual([]);
    const next = planPartitions({ ...input, partitions: after, now: at("2025-01-31") });
    expect(next.added).toEqual(["p20250203"]);
    expect(next.dropped).toEqual([]);
  });

  it("drops exactly the days older than the retention, never p_history or p_future", () => {
    const partitions: PartitionInfo[] = [
      migrated[0] as PartitionInfo,
      ...["2025-01-01", "2025-01-02", "2025-01-03", "2025-01-04"].map((day) => ({
        name: `p${day.replaceAll("-", "")}`,
        description: String(days(day) + 1),
      })),
      { name: "p_future", description: "MAXVALUE" },
    ];
    // today 2025-01-12, retention 10 → keep ts >= 2025-01-02: 2025-01-01 goes, 2025-01-02 stays.
    const plan = planPartitions({
      table: "readings",
      partitions,
      now: at("2025-01-12"),
      retentionDays: 10,
      daysAhead: 1,
    });
    expect(plan.dropped).toEqual(["p20250101"]);
    expect(plan.statements.at(-1)).toBe("ALTER TABLE `readings` DROP PARTITION `p20250101`");
    // The gap since the last daily partition is filled, one partition per day.
    expect(plan.added[0]).toBe("p20250105");
    expect(plan.added.at(-1)).toBe("p20250113");
    expect(plan.added).toHaveLength(9);
  });

  it("after a long stop creates no partitions that would already be expired", () => {
    const partitions: PartitionInfo[] = [
      migrated[0] as PartitionInfo,
      { name: "p20240101", description: String(days("2024-01-02")) },
      { name: "p_future", description: "MAXVALUE" },
    ];
    const plan = planPartitions({
      table: "readings",
      partitions,
      now: at("2025-03-01"),
      retentionDays: 31,
      daysAhead: 2,
    });
    expect(plan.dropped).toEqual(["p20240101"]);
    expect(plan.added[0]).toBe("p20250129"); // 2025-03-01 − 31 days
    expect(plan.added.at(-1)).toBe("p20250303");
  });

  it("warns instead of planning when the table is not partitioned or has no p_future", () => {
    const none = planPartitions({
      table: "readings",
      partitions: [],
      now: at("2025-01-30"),
      retentionDays: 400,
      daysAhead: 3,
    });
    expect(none.statements).toEqual([]);
    expect(none.warnings[0]).toMatch(/not partitioned/);
    const noFuture = planPartitions({
      table: "readings",
      partitions: [migrated[0] as PartitionInfo],
      now: at("2025-01-30"),
      retentionDays: 400,
      daysAhead: 3,
    });
    expect(noFuture.statements).toEqual([]);
    expect(noFuture.warnings[0]).toMatch(/p_future/);
  });

  it("keeps partitions strictly increasing, contiguous and within the retention over any sequence of runs", () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 40 }), { minLength: 1, maxLength: 15 }),
        fc.integer({ min: 31, max: 60 }),
        fc.integer({ min: 2, max: 20 }),
        (gaps, retentionDays, daysAhead) => {
          let partitions = migrated;
          let today = days("2025-01-01");
          for (const gap of gaps) {
            today += gap;
            const plan = planPartitions({
              table: "readings",
              partitions,
              now: fromDays(today),
              retentionDays,
              daysAhead,
            });
            partitions = apply(partitions, plan);
            const bounds = partitions.filter((p) => p.description !== "MAXVALUE").map((p) => Number(p.description));
            for (let i = 1; i < bounds.length; i += 1) expect(bounds[i]).toBeGreaterThan(bounds[i - 1] ?? 0);
            const daily = partitions.filter((p) => /^p\d{8}$/.test(p.name)).map((p) => Number(p.description));
            // Covered ahead, nothing expired left, one partition per day after the first.
            expect(daily.at(-1)).toBe(today + daysAhead + 1);
            expect(daily[0]).toBeGreaterThan(today - retentionDays);
            for (let i = 1; i < daily.length; i += 1) expect(daily[i]).toBe((daily[i - 1] ?? 0) + 1);
            expect(
              planPartitions({ table: "readings", partitions, now: fromDays(today), retentionDays, daysAhead })
                .statements,
            ).toEqual([]);
          }
        },
      ),
    );
  });
});
