"use client";

import type { RouterOutputs } from "@rantai/api";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { Fragment } from "react";
import { CursorPager, useCursorPages } from "~/components/layout/cursor-pager";
import { TableScroll } from "~/components/layout/table-scroll";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import styles from "./facility-stock.module.css";

type Lot = RouterOutputs["stock"]["listBalances"]["items"][number];

/** A calendar date ("2027-03-31") as the day it names, for the date formatter (which shows WIB days). */
export function calendarDay(date: string): Date {
  return new Date(`${date}T12:00:00+07:00`);
}

/** Stock on hand by item and lot: expiry and VVM stage, unusable lots highlighted and named. */
export function FacilityStock({ facilityId }: { facilityId: number }) {
  const t = useTranslations("facility.stock");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const pages = useCursorPages();
  const lots = useQuery(
    trpc.stock.listBalances.queryOptions(
      { orgUnitId: facilityId, limit: 100, ...(pages.cursor === undefined ? {} : { cursor: pages.cursor }) },
      { placeholderData: keepPreviousData },
    ),
  );
  const all = lots.data?.items ?? [];
  const byItem = new Map<number, Lot[]>();
  for (const lot of [...all].sort(
    (a, b) => a.itemCode.localeCompare(b.itemCode) || a.expiryDate.localeCompare(b.expiryDate),
  )) {
    byItem.set(lot.itemId, [...(byItem.get(lot.itemId) ?? []), lot]);
  }

  return (
    <section className="card" aria-labelledby="facility-stock">
      <h2 id="facility-stock">{t("title")}</h2>
      {lots.error ? (
        <p className="error" role="alert">
          {errorMessage(lots.error)}
        </p>
      ) : !lots.data ? (
        <p className="muted">{t("loading")}</p>
      ) : all.length === 0 ? (
        <p className="muted">{t("empty")}</p>
      ) : (
        <TableScroll>
          <table data-testid="facility-stock">
            <thead>
              <tr>
                <th scope="col">{t("columns.lot")}</th>
                <th scope="col">{t("columns.expiry")}</th>
                <th scope="col" className="number">
                  {t("columns.vvm")}
                </th>
                <th scope="col" className="number">
                  {t("columns.doses")}
                </th>
                <th scope="col" className="number">
                  {t("columns.vials")}
                </th>
                <th scope="col">{t("columns.condition")}</th>
              </tr>
            </thead>
            <tbody>
              {[...byItem.values()].map((itemLots) => {
                const [first] = itemLots;
                if (!first) return null;
                const total = itemLots.reduce((sum, lot) => sum + lot.quantity, 0);
                return (
                  <Fragment key={first.itemId}>
                    <tr className={styles.itemRow}>
                      <th scope="rowgroup" colSpan={3}>
                        {first.itemName} <span className="muted">{first.itemCode}</span>
                      </th>
                      <th className="number">{format.count(total)}</th>
                      <th colSpan={2} />
                    </tr>
                    {itemLots.map((lot) => (
                      <tr
                        key={lot.batchId}
                        className={lot.unusableCause ? styles.unusable : undefined}
                        data-testid="stock-lot"
                        data-unusable={lot.unusableCause ?? undefined}
                      >
                        <td>{lot.lotNumber}</td>
                        <td>
                          {format.date(calendarDay(lot.expiryDate))}{" "}
                          <span className="muted">
                            {lot.daysUntilExpiry < 0
                              ? t("expiredDaysAgo", { days: -lot.daysUntilExpiry })
                              : t("expiresInDays", { days: lot.daysUntilExpiry })}
                          </span>
                        </td>
                        <td className="number">{lot.vvmStage}</td>
                        <td className="number">{format.count(lot.quantity)}</td>
                        <td className="number">{format.count(lot.vials)}</td>
                        <td>
                          {lot.unusableCause ? (
                            <span className="badge warm">{t(`unusable.${lot.unusableCause}`)}</span>
                          ) : (
                            <span className="badge ok">{t("usable")}</span>
                          )}
                        </td>
                      </tr>
                    ))}
                  </Fragment>
                );
              })}
            </tbody>
          </table>
        </TableScroll>
      )}
      <CursorPager
        pages={pages}
        nextCursor={lots.data?.nextCursor}
        labels={{ pages: t("pagesLabel"), previous: t("previous"), next: t("next") }}
        testId="stock"
      />
    </section>
  );
}
