import mysql from "mysql2/promise";
import { describe, expect, it } from "vitest";
import { formatQuery } from "./client";

describe("formatQuery (the pool's queryFormat)", () => {
  const config = { config: { timezone: "Z" } };

  it("returns a statement without values untouched, as mysql2's own formatting does", () => {
    for (const query of [
      "SELECT 1",
      "SELECT '?' AS q, `a?` FROM t",
      "INSERT INTO r VALUES (1,'2026-11-25 00:00:00.000')",
    ]) {
      expect(formatQuery.call(config, query, [])).toBe(query);
      expect(formatQuery.call(config, query, undefined)).toBe(mysql.format(query, []));
    }
  });

  it("fills placeholders exactly as mysql2 does, dates in UTC", () => {
    const at = new Date(Date.UTC(2026, 10, 25, 7, 5, 3, 9));
    const values = [42, "it's", at, null, Buffer.from([1, 2])];
    const query = "SELECT ?, ?, ?, ?, ? FROM ?? WHERE x = '?'";
    expect(formatQuery.call(config, query, [...values, "t"])).toBe(mysql.format(query, [...values, "t"], false, "Z"));
    expect(formatQuery.call(config, "SELECT ?", [at])).toBe("SELECT '2026-11-25 07:05:03.009'");
  });
});
