"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { CursorPager, useCursorPages } from "~/components/layout/cursor-pager";
import { TableScroll } from "~/components/layout/table-scroll";
import { type FacilityClock, useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";

const pageSize = 20;

/** The facility's recent ledger movements, newest first, a page at a time (keyset cursors). */
export function FacilityLedger({ facilityId, clock }: { facilityId: number; clock: FacilityClock }) {
  const t = useTranslations("facility.ledger");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const pages = useCursorPages();
  const { cursor } = pages;
  const entries = useQuery(
    trpc.stock.listLedger.queryOptions(
      { orgUnitId: facilityId, limit: pageSize, ...(cursor === undefined ? {} : { cursor }) },
      { placeholderData: keepPreviousData },
    ),
  );
  const rows = entries.data?.items ?? [];

  return (
    <section className="card" aria-labelledby="facility-ledger">
      <h2 id="facility-ledger">{t("title")}</h2>
      {entries.error ? (
        <p className="error" role="alert">
          {errorMessage(entries.error)}
        </p>
      ) : !entries.data ? (
        <p className="muted">{t("loading")}</p>
      ) : rows.length === 0 ? (
        <p className="muted">{t("empty")}</p>
      ) : (
        <TableScroll>
          <table data-testid="facility-ledger">
            <thead>
              <tr>
                <th scope="col">{t("columns.when")}</th>
                <th scope="col">{t("columns.item")}</th>
                <th scope="col">{t("columns.movement")}</th>
                <th scope="col" className="number">
                  {t("columns.quantity")}
                </th>
                <th scope="col" className="number">
                  {t("columns.balanceAfter")}
                </th>
                <th scope="col">{t("columns.details")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((entry) => (
                <tr key={entry.id} data-testid="ledger-entry">
                  <td>{format.facilityTime(entry.occurredAt, clock)}</td>
                  <td>
                    {entry.itemName}
                    <div className="muted">{t("lot", { lot: entry.lotNumber })}</div>
                  </td>
                  <td>{t(`movements.${entry.movementType}`)}</td>
                  <td className="number">
                    {entry.quantity > 0 ? "+" : ""}
                    {format.count(entry.quantity)}
                  </td>
                  <td className="number">{format.count(entry.balanceAfter)}</td>
                  <td className="muted">
                    {[entry.counterpartyName, entry.reference, entry.note].filter(Boolean).join(" · ")}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <CursorPager
        pages={pages}
        nextCursor={entries.data?.nextCursor}
        labels={{ pages: t("pagesLabel"), previous: t("previous"), next: t("next") }}
        testId="ledger"
      />
    </section>
  );
}
