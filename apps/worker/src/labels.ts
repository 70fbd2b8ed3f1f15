import type { ReportLabels, ReportName } from "@rantai/core/reports";
import { type Locale, messages } from "@rantai/ui/i18n";

/**
 * A report file's words in the user's language, from the one message catalog the console uses
 * (`reports.columns`, `reports.codes`, `reports.names`), so the file and the screen agree.
 */
export function reportLabelsFor(locale: Locale): ReportLabels {
  const catalog = messages[locale].reports;
  const columns: Record<string, string> = catalog.columns;
  const codes: Record<string, Record<string, string>> = catalog.codes;
  const names: Record<ReportName, string> = catalog.names;
  return {
    header: (column) => columns[column.key] ?? column.key,
    code: (column, value) => codes[column.key]?.[value] ?? value,
    sheetName: (report) => names[report],
  };
}
