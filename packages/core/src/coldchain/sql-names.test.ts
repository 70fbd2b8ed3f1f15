import { alarms, alarmTrackers, readingRollupsDaily, readingRollupsHourly, readings, sensorStates } from "@rantai/db";
import { createDatabase } from "@rantai/db/client";
import { getTableColumns, getTableName, type SQL, type Table } from "drizzle-orm";
import { int, MySqlDialect, mysqlTable, smallint } from "drizzle-orm/mysql-core";
import { afterAll, describe, expect, it } from "vitest";
import { windowStartsSql } from "./alarms/recompute";
import { defaultAlarmRules } from "./alarms/rules";
import { updateAlarmsSql, upsertTrackersSql } from "./alarms/store";
import { insertReadingsSql, updateSensorOnlineSql, upsertSensorStatesSql } from "./readings-store";
import { addToBucketsSql, recomputeRollupsSql } from "./rollups";
import { columnName, quoteIdentifier, sqlNames } from "./sql-names";

/*
 * The ingest path's prebuilt statements take their table and column names from the schema. These
 * tests fail when a statement names anything the schema does not (a hand-typed name left behind
 * after a rename), and when the names differ from what the database client itself writes.
 */

const dialect = new MySqlDialect({ casing: "snake_case" });
const text = (statement: string | SQL) =>
  typeof statement === "string" ? statement : dialect.sqlToQuery(statement).sql;

/**
 * Names in a statement that are not the given tables' (or the statement's own aliases): every
 * backticked identifier must be one of theirs, and no lowercase word but an alias may stand
 * outside backticks and string literals (keywords and functions are written in capitals; names
 * taken from the schema come quoted, so a bare name was typed by hand).
 */
function foreignNames(statement: string, tables: readonly Table[], aliases: readonly string[] = []): string[] {
  const known = new Set<string>(aliases);
  for (const table of tables) {
    known.add(getTableName(table));
    for (const column of Object.values(getTableColumns(table))) known.add(columnName(column));
  }
  const withoutLiterals = statement.replace(/'(?:[^'\\]|\\.)*'/g, "''");
  const quoted = [...withoutLiterals.matchAll(/`([^`]*)`/g)].map((match) => match[1] ?? "");
  const bare = withoutLiterals.replace(/`[^`]*`/g, " ").match(/\b[a-z_][a-z0-9_]*\b/g) ?? [];
  // A bare word can only be the statement's own alias: the schema's names always come quoted.
  return [...quoted.filter((name) => !known.has(name)), ...bare.filter((word) => !aliases.includes(word))];
}

describe("the statements' guard", () => {
  it("catches a name the schema does not have, quoted or not", () => {
    const stale = "INSERT INTO `readings` (`sensor_id`, `temp_c`) VALUES (1, 2) ON DUPLICATE KEY UPDATE temp_c = 2";
    expect(foreignNames(stale, [readings])).toEqual(["temp_c", "temp_c"]);
    // Right today, but typed by hand: the next rename would leave it behind.
    expect(foreignNames("UPDATE `sensor_states` SET online = 1", [sensorStates])).toEqual(["online"]);
    expect(foreignNames("SELECT 'open' AS a", [alarms], ["a"])).toEqual([]);
  });

  it("finds the names in the schema objects, so a renamed column renames every statement", () => {
    const renamed = mysqlTable("readings_renamed", {
      sensorId: int().notNull(),
      tempCentiC: smallint("temperature_centi_c").notNull(),
    });
    expect(sqlNames(renamed)).toEqual({
      table: "`readings_renamed`",
      columns: { sensorId: "`sensor_id`", tempCentiC: "`temperature_centi_c`" },
    });
    expect(sqlNames(readings).columns.tempCentiC).toBe("`temp_centi_c`");
    expect(sqlNames(readings).table).toBe("`readings`");
  });

  it("quotes plain identifiers only", () => {
    expect(quoteIdentifier("bucket_start")).toBe("`bucket_start`");
    for (const bad of ["a`b", "a b", "", "1a", "x;DROP"]) expect(() => quoteIdentifier(bad)).toThrow();
  });
});

describe("the schema's names as the database client writes them", () => {
  const handle = createDatabase({ url: "mysql://root@127.0.0.1:3306/never_connected" });
  afterAll(() => handle.close());

  it.each(
    [readings, sensorStates, readingRollupsHourly, readingRollupsDaily, alarms, alarmTrackers].map(
      (table) => [getTableName(table), table] as const,
    ),
  )("every column of %s", (_name, table) => {
    for (const column of Object.values(getTableColumns(table))) {
      // The client builds the query without connecting.
      const { sql } = handle.db.select({ value: column }).from(table).toSQL();
      expect(sql).toBe(`select \`${columnName(column)}\` from \`${getTableName(table)}\``);
    }
  });
});

const at = new Date("2026-01-31T08:00:00.000Z");
const row = "(1,'2026-01-31 08:00:00.000',450,80,7,'2026-01-31 08:00:01.000')";

describe("the ingest path's statements name only the schema's tables and columns", () => {
  it.each([
    ["readings insert", insertReadingsSql([row, row]), [readings], []],
    ["sensor state upsert", upsertSensorStatesSql([row]), [sensorStates], []],
    ["sensor status update", updateSensorOnlineSql({ sensorId: 1, online: true, at }), [sensorStates], []],
    ["hourly addition", addToBucketsSql("hourly", [row]), [readingRollupsHourly], []],
    ["daily addition", addToBucketsSql("daily", [row]), [readingRollupsDaily], []],
    [
      "hourly recomputation",
      recomputeRollupsSql("hourly", [{ sensorId: 1, from: at, to: new Date(at.getTime() + 3_600_000) }]),
      [readingRollupsHourly, readings],
      ["bucket"],
    ],
    [
      "daily recomputation",
      recomputeRollupsSql("daily", [{ sensorId: 1, from: at, to: new Date(at.getTime() + 86_400_000) }]),
      [readingRollupsDaily, readingRollupsHourly],
      ["bucket"],
    ],
    ["tracker upsert", upsertTrackersSql([row]), [alarmTrackers], []],
    [
      "alarm runs update",
      updateAlarmsSql(
        [
          {
            alarmId: 5,
            resolve: true,
            values: {
              startedAt: at,
              openedAt: at,
              lastOutOfRangeAt: at,
              endedAt: at,
              durationSeconds: 3600,
              peakCentiC: 950,
              minCentiC: 810,
              heatExposureCentiDegreeHours: 120,
            },
          },
        ],
        at,
      ),
      [alarms],
      ["a", "v", "resolve"],
    ],
    [
      "recompute window starts",
      windowStartsSql([
        { sensorId: 1, rule: defaultAlarmRules.heat, before: at },
        { sensorId: 2, rule: defaultAlarmRules.low_battery, before: at },
      ]),
      [readings],
      ["probe", "anchor"],
    ],
  ] as const)("%s", (_name, statement, tables, aliases) => {
    const written = text(statement);
    expect(foreignNames(written, tables, aliases)).toEqual([]);
    // It does name its tables: a statement built from nothing would pass the check above.
    for (const table of tables) expect(written).toContain(`\`${getTableName(table)}\``);
  });

  it("lists the columns of each full-row insert in the order its rows are written", () => {
    const columnsOf = (statement: string) =>
      /INSERT INTO `[a-z_]+` \(([^)]*)\)/
        .exec(statement)?.[1]
        ?.split(",")
        .map((name) => name.trim());
    const r = sqlNames(readings).columns;
    expect(columnsOf(insertReadingsSql([row]))).toEqual([
      r.sensorId,
      r.ts,
      r.tempCentiC,
      r.batteryPct,
      r.seq,
      r.receivedAt,
    ]);
    const h = sqlNames(readingRollupsHourly).columns;
    expect(columnsOf(addToBucketsSql("hourly", [row]))).toEqual([
      h.sensorId,
      h.bucketStart,
      h.minCentiC,
      h.maxCentiC,
      h.sumCentiC,
      h.count,
    ]);
    // Every column a full-row insert writes: a column added to the schema must be added here too.
    expect(new Set(columnsOf(insertReadingsSql([row])))).toEqual(new Set(Object.values(r)));
    expect(new Set(columnsOf(upsertTrackersSql([row])))).toEqual(
      new Set(Object.values(sqlNames(alarmTrackers).columns)),
    );
  });
});
