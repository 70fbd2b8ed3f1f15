"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { TableScroll } from "~/components/layout/table-scroll";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import { storeQueries } from "./store-queries";

/** The store's latest ledger entries, newest first: what the forms above just posted shows here. */
export function StoreLedger({ orgUnitId }: { orgUnitId: number }) {
  const t = useTranslations("store");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const ledger = useQuery(storeQueries(trpc, orgUnitId).ledger);
  return (
    <section className="card" aria-labelledby="store-ledger-heading">
      <h2 id="store-ledger-heading">{t("ledger.heading")}</h2>
      {ledger.error ? (
        <p className="error" role="alert">
          {errorMessage(ledger.error)}
        </p>
      ) : !ledger.data ? (
        <p className="muted">{t("loading")}</p>
      ) : (
        <TableScroll>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("ledger.when")}</th>
                <th scope="col">{t("ledger.type")}</th>
                <th scope="col">{t("stock.lot")}</th>
                <th scope="col" className="number">
                  {t("ledger.doses")}
                </th>
                <th scope="col" className="number">
                  {t("ledger.balance")}
                </th>
              </tr>
            </thead>
            <tbody>
              {ledger.data.items.map((entry) => (
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
            </tbody>
          </table>
        </TableScroll>
      )}
    </section>
  );
}
