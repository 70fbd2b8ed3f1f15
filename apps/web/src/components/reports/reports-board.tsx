"use client";

import type { RouterInputs, RouterOutputs } from "@rantai/api";
import type { Messages } from "@rantai/ui/i18n";
import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useId, useState } from "react";
import { ScopePicker } from "~/components/layout/scope-picker";
import { TableScroll } from "~/components/layout/table-scroll";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import { ReportExports } from "./report-exports";

type ReportName = RouterInputs["reports"]["view"]["report"];
type ReportView = RouterOutputs["reports"]["view"];
type Cursor = ReportView["nextCursor"];

type ReportParameters = NonNullable<RouterInputs["reports"]["view"]["parameters"]>;
type Filter = "period" | "item" | "groupBy" | "expiry";
type ExpiryWindow = NonNullable<ReportParameters["expiry"]>;

/**
 * The reports the page offers, in the order of the picker (the API's names), with the filters
 * each reads (the API's `filters` of the report), so the controls show before its first page.
 */
const reportFilters = {
  stock_on_hand: ["item"],
  stock_status: ["item"],
  consumption_wastage: ["period", "item", "groupBy"],
  stock_out_days: ["period", "item"],
  expiry: ["expiry", "item"],
  temperature_excursions: ["period"],
  sensor_uptime: ["period"],
} as const satisfies Record<ReportName, readonly Filter[]>;
export const reportNames = Object.keys(reportFilters) as ReportName[];

const groupings = ["default", "facility", "district"] as const;
const expiryWindows = ["within_30", "within_60", "within_90", "expired"] as const satisfies readonly ExpiryWindow[];

const PAGE_ROWS = 50;

/** "YYYY-MM-DD" of a day `daysAgo` before today on the capital's clock. */
function dayInJakarta(daysAgo: number): string {
  return new Date(Date.now() + 7 * 3_600_000 - daysAgo * 86_400_000).toISOString().slice(0, 10);
}

/**
 * The reports page: a report of the user's scope (or a unit under it) shown a page at a time, and
 * exported as CSV or XLSX in the background, with the user's exports and their progress beside it.
 */
export function ReportsBoard() {
  const t = useTranslations("reports");
  const tScope = useTranslations("scope");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const errorMessage = useErrorMessage();
  const ids = { report: useId(), from: useId(), to: useId(), item: useId(), groupBy: useId(), expiry: useId() };
  const [report, setReport] = useState<ReportName>("stock_on_hand");
  const [unit, setUnit] = useState<number | undefined>();
  const [period, setPeriod] = useState({ from: dayInJakarta(30), to: dayInJakarta(0) });
  /** Cursors of the pages before the one shown ("previous" drops the last). */
  const [after, setAfter] = useState<Cursor[]>([]);
  const [itemId, setItemId] = useState<number | undefined>();
  const [groupBy, setGroupBy] = useState<(typeof groupings)[number]>("default");
  const [expiry, setExpiry] = useState<ExpiryWindow>("within_90");
  const filters: readonly Filter[] = reportFilters[report];
  const usesPeriod = filters.includes("period");
  const parameters: ReportParameters = {
    ...(usesPeriod ? period : {}),
    ...(filters.includes("item") && itemId !== undefined ? { itemId } : {}),
    ...(filters.includes("groupBy") && groupBy !== "default" ? { groupBy } : {}),
    ...(filters.includes("expiry") ? { expiry } : {}),
  };
  const items = useQuery({
    ...trpc.stock.listItems.queryOptions({ limit: 100 }, { staleTime: 3_600_000 }),
    enabled: filters.includes("item"),
  });
  const vaccines = (items.data?.items ?? []).filter((item) => item.kind === "vaccine");
  const cursor = after.at(-1) ?? null;
  const view = useQuery({
    ...trpc.reports.view.queryOptions({
      report,
      parameters,
      cursor,
      limit: PAGE_ROWS,
      ...(unit ? { orgUnitId: unit } : {}),
    }),
    placeholderData: keepPreviousData,
  });
  const [total, setTotal] = useState<number | null>(null);
  if (view.data?.totalRows !== undefined && view.data.totalRows !== null && view.data.totalRows !== total) {
    setTotal(view.data.totalRows);
  }
  const requestExport = useMutation(
    trpc.reports.requestExport.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.reports.exports.queryKey() }),
    }),
  );

  function restart(change: () => void) {
    change();
    setAfter([]);
  }

  function exportAs(format: "csv" | "xlsx") {
    requestExport.mutate({
      report,
      format,
      parameters,
      requestKey: crypto.randomUUID(),
      ...(unit ? { orgUnitId: unit } : {}),
    });
  }

  return (
    <section aria-labelledby="reports-heading">
      <div className="card page-heading">
        <div>
          <h1 id="reports-heading">{t("title")}</h1>
          <p className="muted">{t("intro")}</p>
        </div>
        <ScopePicker value={unit} onChange={(id) => restart(() => setUnit(id))} label={tScope("area")} />
      </div>
      <div className="card">
        <div className="table-controls">
          <label className="control-label" htmlFor={ids.report}>
            {t("reportLabel")}
          </label>
          <select
            id={ids.report}
            data-testid="report-picker"
            value={report}
            onChange={(event) => {
              const chosen = reportNames.find((name) => name === event.target.value);
              if (chosen) restart(() => setReport(chosen));
            }}
          >
            {reportNames.map((name) => (
              <option key={name} value={name}>
                {t(`names.${name}`)}
              </option>
            ))}
          </select>
          {usesPeriod ? (
            <>
              <span className="control-pair">
                <label className="control-label" htmlFor={ids.from}>
                  {t("fromLabel")}
                </label>
                <input
                  id={ids.from}
                  type="date"
                  value={period.from}
                  max={period.to}
                  onChange={(event) =>
                    event.target.value && restart(() => setPeriod({ ...period, from: event.target.value }))
                  }
                />
              </span>
              <span className="control-pair">
                <label className="control-label" htmlFor={ids.to}>
                  {t("toLabel")}
                </label>
                <input
                  id={ids.to}
                  type="date"
                  value={period.to}
                  min={period.from}
                  onChange={(event) =>
                    event.target.value && restart(() => setPeriod({ ...period, to: event.target.value }))
                  }
                />
              </span>
            </>
          ) : null}
          {filters.includes("item") ? (
            <span className="control-pair">
              <label className="control-label" htmlFor={ids.item}>
                {t("itemLabel")}
              </label>
              <select
                id={ids.item}
                data-testid="report-item"
                value={itemId ?? ""}
                onChange={(event) =>
                  restart(() => setItemId(event.target.value ? Number(event.target.value) : undefined))
                }
              >
                <option value="">{t("allItems")}</option>
                {vaccines.map((item) => (
                  <option key={item.id} value={item.id}>
                    {item.name}
                  </option>
                ))}
              </select>
            </span>
          ) : null}
          {filters.includes("groupBy") ? (
            <span className="control-pair">
              <label className="control-label" htmlFor={ids.groupBy}>
                {t("groupByLabel")}
              </label>
              <select
                id={ids.groupBy}
                value={groupBy}
                onChange={(event) => {
                  const chosen = groupings.find((value) => value === event.target.value);
                  if (chosen) restart(() => setGroupBy(chosen));
                }}
              >
                {groupings.map((value) => (
                  <option key={value} value={value}>
                    {t(`groupBy.${value}`)}
                  </option>
                ))}
              </select>
            </span>
          ) : null}
          {filters.includes("expiry") ? (
            <span className="control-pair">
              <label className="control-label" htmlFor={ids.expiry}>
                {t("expiryLabel")}
              </label>
              <select
                id={ids.expiry}
                value={expiry}
                onChange={(event) => {
                  const chosen = expiryWindows.find((value) => value === event.target.value);
                  if (chosen) restart(() => setExpiry(chosen));
                }}
              >
                {expiryWindows.map((value) => (
                  <option key={value} value={value}>
                    {t(`expiryWindows.${value}`)}
                  </option>
                ))}
              </select>
            </span>
          ) : null}
          <button type="button" onClick={() => exportAs("csv")} disabled={requestExport.isPending}>
            {t("exportCsv")}
          </button>
          <button type="button" onClick={() => exportAs("xlsx")} disabled={requestExport.isPending}>
            {t("exportXlsx")}
          </button>
        </div>
        <p className="muted">
          {t(`descriptions.${report}`)} {usesPeriod ? t("periodHint") : null}
        </p>
        {requestExport.error ? (
          <p className="error" role="alert">
            {errorMessage(requestExport.error)}
          </p>
        ) : null}
      </div>
      <ReportExports />
      {view.error ? (
        <p className="error" role="alert">
          {errorMessage(view.error)}
        </p>
      ) : !view.data ? (
        <p className="muted">{t("loading")}</p>
      ) : (
        <ReportTable
          view={view.data}
          total={total}
          busy={view.isPlaceholderData}
          onPrevious={after.length > 0 ? () => setAfter(after.slice(0, -1)) : undefined}
          onNext={view.data.nextCursor ? () => setAfter([...after, view.data.nextCursor]) : undefined}
        />
      )}
    </section>
  );
}

function ReportTable({
  view,
  total,
  busy,
  onPrevious,
  onNext,
}: {
  view: ReportView;
  total: number | null;
  busy: boolean;
  onPrevious: (() => void) | undefined;
  onNext: (() => void) | undefined;
}) {
  const t = useTranslations("reports");
  const format = useConsoleFormat();
  const cell = (kind: ReportView["columns"][number]["kind"], key: string, value: string | number | null) => {
    if (value === null || value === "") return "–";
    if (typeof value === "number") return kind === "decimal" ? format.decimal(value) : format.count(value);
    // Dates are calendar days (an expiry date), shown as the day itself; instants on the WIB clock.
    if (kind === "date") return format.date(new Date(`${value}T00:00:00+07:00`));
    if (kind === "datetime") return format.dateTime(new Date(value));
    if (kind === "code" && key === "stockStatus") return t(`codes.stockStatus.${value as StockStatusCode}`);
    return value;
  };
  return (
    <div className="card">
      <p className="muted" aria-live="polite" data-testid="report-count">
        {total === null ? "" : t("rowsTotal", { count: total })}
      </p>
      {view.rows.length === 0 ? (
        <p className="muted">{t("empty")}</p>
      ) : (
        <TableScroll>
          <table data-testid="report-table" aria-busy={busy}>
            <thead>
              <tr>
                {view.columns.map((column) => (
                  <th
                    key={column.key}
                    scope="col"
                    className={column.kind === "text" || column.kind === "code" ? undefined : "number"}
                  >
                    {t(`columns.${column.key as ColumnKey}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {view.rows.map((row, rowIndex) => (
                // Rows have no id of their own; a page's rows keep their order.
                // biome-ignore lint/suspicious/noArrayIndexKey: a report row is identified by its place on the page
                <tr key={rowIndex}>
                  {view.columns.map((column, index) => (
                    <td
                      key={column.key}
                      className={column.kind === "text" || column.kind === "code" ? undefined : "number"}
                    >
                      {cell(column.kind, column.key, row[index] ?? null)}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <nav className="pager" aria-label={t("title")}>
        <button type="button" onClick={onPrevious} disabled={!onPrevious}>
          {t("previous")}
        </button>
        <button type="button" onClick={onNext} disabled={!onNext}>
          {t("next")}
        </button>
      </nav>
    </div>
  );
}

type ColumnKey = keyof Messages["reports"]["columns"];
type StockStatusCode = keyof Messages["reports"]["codes"]["stockStatus"];
