"use client";

import { useQuery } from "@tanstack/react-query";
import { useFormatter, useTranslations } from "next-intl";
import { TableScroll } from "~/components/layout/table-scroll";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import styles from "./facility-stock.module.css";

/** Bars are at most this wide; each item's months are scaled to its own busiest month. */
const barMaxPx = 60;

/** Doses consumed and wasted per month for each item: a small table with proportional bars. */
export function ConsumptionTrend({ facilityId }: { facilityId: number }) {
  const t = useTranslations("facility.trend");
  const format = useConsoleFormat();
  const formatter = useFormatter();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const trend = useQuery(trpc.stock.consumptionTrend.queryOptions({ orgUnitId: facilityId, months: 6 }));
  const monthLabel = (month: string) =>
    formatter.dateTime(new Date(`${month}-15T00:00:00Z`), { month: "short", year: "numeric", timeZone: "UTC" });

  return (
    <section className="card" aria-labelledby="facility-trend">
      <h2 id="facility-trend">{t("title")}</h2>
      <p className="muted">{t("subtitle")}</p>
      {trend.error ? (
        <p className="error" role="alert">
          {errorMessage(trend.error)}
        </p>
      ) : !trend.data ? (
        <p className="muted">{t("loading")}</p>
      ) : trend.data.items.length === 0 ? (
        <p className="muted">{t("empty")}</p>
      ) : (
        <TableScroll>
          <table data-testid="consumption-trend">
            <thead>
              <tr>
                <th scope="col">{t("item")}</th>
                {trend.data.months.map((month) => (
                  <th key={month} scope="col">
                    {monthLabel(month)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {trend.data.items.map((item) => {
                const busiest = Math.max(1, ...item.months.map((m) => Math.max(m.consumedDoses, m.wastedDoses)));
                return (
                  <tr key={item.itemId}>
                    <th scope="row">
                      {item.name} <span className="muted">{item.code}</span>
                    </th>
                    {item.months.map((month) => (
                      <td key={month.month}>
                        <div>
                          <span
                            className={styles.bar}
                            style={{ width: (Math.max(0, month.consumedDoses) / busiest) * barMaxPx }}
                            aria-hidden
                          />
                          {t("consumed", { doses: format.count(month.consumedDoses) })}
                        </div>
                        <div className="muted">
                          <span
                            className={`${styles.bar} ${styles.wasteBar}`}
                            style={{ width: (month.wastedDoses / busiest) * barMaxPx }}
                            aria-hidden
                          />
                          {t("wasted", { doses: format.count(month.wastedDoses) })}
                        </div>
                      </td>
                    ))}
                  </tr>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
