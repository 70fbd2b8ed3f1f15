import { reportCatalog, reportNames } from "@rantai/core/reports";
import { locales } from "@rantai/ui/i18n";
import { describe, expect, it } from "vitest";
import { reportLabelsFor } from "./labels";

const stockStatuses = ["stock_out", "below_min", "normal", "above_max", "unknown"] as const;

describe("reportLabelsFor", () => {
  it("names every column and coded value of every report in both languages", () => {
    for (const locale of locales) {
      const labels = reportLabelsFor(locale);
      for (const name of reportNames) {
        expect(labels.sheetName(name), `${locale} ${name}`).not.toBe(name);
        for (const column of reportCatalog[name].columns) {
          expect(labels.header(column), `${locale} ${name}.${column.key}`).not.toBe(column.key);
          if (column.kind !== "code") continue;
          for (const status of stockStatuses) {
            expect(labels.code(column, status), `${locale} ${column.key}.${status}`).not.toBe(status);
          }
        }
      }
    }
  });

  it("reads the user's language", () => {
    const column = { key: "facility", kind: "text" } as const;
    expect(reportLabelsFor("id").header(column)).toBe("Fasilitas");
    expect(reportLabelsFor("en").header(column)).toBe("Facility");
  });
});
