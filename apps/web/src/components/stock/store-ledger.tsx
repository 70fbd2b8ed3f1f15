"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { DataTable } from "~/components/layout/list-card";
import { QueryState } from "~/components/layout/query-state";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useTRPC } from "~/trpc/react";
import { storeQueries } from "./store-queries";

/** The store's latest ledger entries, newest first: what the forms above just posted shows here. */
export function StoreLedger({ orgUnitId }: { orgUnitId: number }) {
  const t = useTranslations("store");
  const format = useConsoleFormat();
  const trpc = useTRPC();
  const ledger = useQuery(storeQueries(trpc, orgUnitId).ledger);
  return (
    <section className="card" aria-labelledby="store-ledger-heading">
      <h2 id="store-ledger-heading">{t("ledger.heading")}</h2>
      <QueryState query={ledger} loading={t("loading")}>
        {(data) => (
          <DataTable
            columns={[
              t("ledger.when"),
              t("ledger.type"),
              t("stock.lot"),
              { label: t("ledger.doses"), numeric: true },
              { label: t("ledger.balance"), numeric: true },
            ]}
          >
            {data.items.map((entry) => (
              <tr key={entry.id} data-testid="ledger-entry">
                <td>{format.dateTime(entry.occurredAt)}</td>
                <td>
                  {t(`ledger.types.${entry.movementType}`)}
                  {entry.counterpartyName ? <span className="muted"> · {entry.counterpartyName}</span> : null}
                </td>
                <td>{entry.lotNumber}</td>
                <td className="number">{format.count(entry.quantity)}</td>
                <td className="number">{format.count(entry.balanceAfter)}</td>
              </tr>
            ))}
          </DataTable>
        )}
      </QueryState>
    </section>
  );
}
