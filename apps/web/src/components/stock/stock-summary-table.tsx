"use client";

import type { RouterOutputs } from "@rantai/api";
import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ScopePicker } from "~/components/layout/scope-picker";
import { TableScroll } from "~/components/layout/table-scroll";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";

export type ItemSummary = RouterOutputs["stock"]["facilitySummary"]["items"][number];

export const statusTone: Record<ItemSummary["status"], "ok" | "warm" | "cold" | "unknown"> = {
  stock_out: "warm",
  below_min: "warm",
  normal: "ok",
  above_max: "cold",
  unknown: "unknown",
};

/** A store's stock by item: on hand, months of stock against min/max, what to order, what expires. */
export function StockSummaryTable() {
  const t = useTranslations("stock");
  const tScope = useTranslations("scope");
  const format = useConsoleFormat();
  const doses = format.count;
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const [orgUnitId, setOrgUnitId] = useState<number | undefined>(undefined);
  const summary = useQuery(trpc.stock.facilitySummary.queryOptions({ orgUnitId }));

  return (
    <section aria-label={t("title")}>
      <div className="card" style={{ display: "flex", justifyContent: "space-between", alignItems: "center", gap: 16 }}>
        <div>
          <h2>{t("title")}</h2>
          <span className="muted">{t("subtitle")}</span>
        </div>
        <ScopePicker value={orgUnitId} onChange={setOrgUnitId} label={tScope("store")} includeFacilities />
      </div>
      {summary.error ? (
        <p className="error" role="alert">
          {errorMessage(summary.error)}
        </p>
      ) : !summary.data ? (
        <p className="muted">{t("loading")}</p>
      ) : summary.data.items.length === 0 ? (
        <p className="muted">{t("empty")}</p>
      ) : (
        <TableScroll card>
          <table>
            <thead>
              <tr>
                <th>{t("columns.item")}</th>
                <th>{t("columns.onHand")}</th>
                <th>{t("columns.unusable")}</th>
                <th>{t("columns.amc")}</th>
                <th>{t("columns.mos")}</th>
                <th>{t("columns.status")}</th>
                <th>{t("columns.suggestedOrder")}</th>
                <th>{t("columns.expiring")}</th>
              </tr>
            </thead>
            <tbody>
              {summary.data.items.map((item) => (
                <tr key={item.itemId} data-testid="stock-row">
                  <td>
                    {item.itemName}
                    <div className="muted">
                      {item.itemCode} · {t("dosesPerVial", { count: item.dosesPerVial })}
                      {item.freezeSensitive ? ` · ${t("freezeSensitive")}` : ""}
                    </div>
                  </td>
                  <td>{doses(item.stockOnHand)}</td>
                  <td className={item.unusableStock > 0 ? "stale" : "muted"}>{doses(item.unusableStock)}</td>
                  <td>{doses(item.averageMonthlyConsumption)}</td>
                  <td>
                    {item.monthsOfStock === null ? "—" : format.decimal(item.monthsOfStock)}{" "}
                    <span className="muted">
                      ({format.count(item.minMonths)}–{format.count(item.maxMonths)})
                    </span>
                  </td>
                  <td>
                    <span className={`temp ${statusTone[item.status]}`} style={{ minWidth: 0, fontSize: 13 }}>
                      {t(`status.${item.status}`)}
                    </span>
                  </td>
                  <td>{item.suggestedOrderDoses > 0 ? doses(item.suggestedOrderDoses) : "—"}</td>
                  <td>{item.expiring.within90Days > 0 ? doses(item.expiring.within90Days) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
