"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useCursorPages } from "~/components/layout/cursor-pager";
import { ListCard, pagedListMessages } from "~/components/layout/list-card";
import { type FacilityClock, useConsoleFormat } from "~/i18n/use-console-format";
import { useTRPC } from "~/trpc/react";

const pageSize = 20;

/** The facility's recent ledger movements, newest first, a page at a time (keyset cursors). */
export function FacilityLedger({ facilityId, clock }: { facilityId: number; clock: FacilityClock }) {
  const t = useTranslations("facility.ledger");
  const format = useConsoleFormat();
  const trpc = useTRPC();
  const pages = useCursorPages();
  const { cursor } = pages;
  const entries = useQuery(
    trpc.stock.listLedger.queryOptions(
      { orgUnitId: facilityId, limit: pageSize, ...(cursor === undefined ? {} : { cursor }) },
      { placeholderData: keepPreviousData },
    ),
  );

  return (
    <ListCard
      id="facility-ledger"
      heading={t("title")}
      query={entries}
      messages={pagedListMessages(t)}
      columns={[
        t("columns.when"),
        t("columns.item"),
        t("columns.movement"),
        { label: t("columns.quantity"), numeric: true },
        { label: t("columns.balanceAfter"), numeric: true },
        t("columns.details"),
      ]}
      tableTestId="facility-ledger"
      pages={pages}
      pagerTestId="ledger"
    >
      {(rows) =>
        rows.map((entry) => (
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
        ))
      }
    </ListCard>
  );
}
