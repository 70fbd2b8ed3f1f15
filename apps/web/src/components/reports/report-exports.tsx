"use client";

import type { RouterOutputs } from "@rantai/api";
import type { Messages } from "@rantai/ui/i18n";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useTRPC } from "~/trpc/react";

type ReportExport = RouterOutputs["reports"]["exports"][number];

/** How often the list asks again while an export is being prepared. */
const PROGRESS_POLL_MS = 1000;

function inProgress(exports: readonly ReportExport[] | undefined) {
  return exports?.some((item) => item.status === "queued" || item.status === "running") ?? false;
}

/** The user's latest exports: progress while the worker prepares them, a download link when ready. */
export function ReportExports() {
  const t = useTranslations("reports");
  const tErrors = useTranslations("errors");
  // The reason code the worker stored, translated like any error; an unknown one reads as a failure.
  const failureMessage = (reason: string) => {
    const key = reason as Parameters<typeof tErrors>[0];
    return tErrors.has(key) ? tErrors(key) : tErrors("reports.export_failed");
  };
  const trpc = useTRPC();
  const format = useConsoleFormat();
  const exports = useQuery({
    ...trpc.reports.exports.queryOptions(),
    refetchInterval: (query) => (inProgress(query.state.data) ? PROGRESS_POLL_MS : false),
  });
  const rows = exports.data ?? [];
  return (
    <section className="card" aria-labelledby="report-exports-heading">
      <h2 id="report-exports-heading">{t("exportsTitle")}</h2>
      {rows.length === 0 ? (
        <p className="muted">{t("exportsEmpty")}</p>
      ) : (
        <ul
          style={{ listStyle: "none", padding: 0, display: "grid", gap: 8 }}
          data-testid="report-exports"
          aria-live="polite"
        >
          {rows.map((item) => (
            <li key={item.id} data-testid={`report-export-${item.id}`} data-status={item.status}>
              <strong>{t(`names.${item.report as keyof Messages["reports"]["names"]}`)}</strong> ·{" "}
              {item.format.toUpperCase()} · {format.dateTime(item.createdAt)} · {t(`statuses.${item.status}`)}
              {item.status === "running" || item.status === "queued" ? (
                <>
                  {" "}
                  <progress
                    max={item.rowsTotal ?? 1}
                    value={item.rowsTotal ? item.rowsWritten : undefined}
                    aria-label={t("exportProgress", { written: item.rowsWritten, total: item.rowsTotal ?? 0 })}
                  />{" "}
                  {item.rowsTotal !== null
                    ? t("exportProgress", { written: item.rowsWritten, total: item.rowsTotal })
                    : null}
                </>
              ) : null}
              {item.status === "failed" && item.failureReason ? (
                <span className="error"> · {failureMessage(item.failureReason)}</span>
              ) : null}
              {item.status === "done" ? (
                <>
                  {" "}
                  <a href={`/api/reports/exports/${item.id}`} download>
                    {t("download")}
                  </a>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
