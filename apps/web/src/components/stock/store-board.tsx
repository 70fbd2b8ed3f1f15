"use client";

import { useQueries, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { TableScroll } from "~/components/layout/table-scroll";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import { statusTone } from "./stock-summary-table";
import type { StoreAccess } from "./store-access";
import { StoreLedger } from "./store-ledger";
import { StoreMovements } from "./store-movements";
import { STORE_LOT_LIMIT, type StoreLot, storeQueries } from "./store-queries";
import { IncomingShipments } from "./store-receive";

/**
 * The signed-in user's own store (read by the page on the server): stock, what is on its way,
 * and the forms that keep it right. The sections appear together once all their data has come,
 * in place of one loading block that holds the screen, so none pushes another down as it loads.
 */
export function StoreBoard({
  orgUnitId,
  orgUnitName,
  access,
}: {
  orgUnitId: number;
  orgUnitName: string;
  access: StoreAccess;
}) {
  const t = useTranslations("store");
  const trpc = useTRPC();
  const queries = storeQueries(trpc, orgUnitId);
  const loading = useQueries({
    queries: [queries.summary, queries.lots, queries.incoming, queries.ledger],
    combine: (results) => results.some((result) => result.isPending && !result.isError),
  });
  return (
    <>
      <div className="page-heading">
        <div>
          <h1>{t("title")}</h1>
          <p className="muted">{t("subtitle", { unit: orgUnitName })}</p>
        </div>
        <Link href="/store/levels">{t("levelsLink")}</Link>
      </div>
      {loading ? (
        <p className="muted" style={{ minHeight: "80vh" }}>
          {t("loading")}
        </p>
      ) : (
        <>
          <StoreStock orgUnitId={orgUnitId} />
          <IncomingShipments orgUnitId={orgUnitId} canReceive={access.receive} />
          {access.writeStock ? <StoreMovements orgUnitId={orgUnitId} /> : null}
          <StoreLedger orgUnitId={orgUnitId} />
        </>
      )}
    </>
  );
}

/** Stock by item (months of stock against min/max) and, under each item, its batches. */
function StoreStock({ orgUnitId }: { orgUnitId: number }) {
  const t = useTranslations("store");
  const tStock = useTranslations("stock");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const queries = storeQueries(trpc, orgUnitId);
  const summary = useQuery(queries.summary);
  const lots = useQuery(queries.lots);
  const error = summary.error ?? lots.error;
  return (
    <section className="card" aria-labelledby="store-stock-heading">
      <h2 id="store-stock-heading">{t("stock.heading")}</h2>
      {error ? (
        <p className="error" role="alert">
          {errorMessage(error)}
        </p>
      ) : !summary.data || !lots.data ? (
        <p className="muted">{t("loading")}</p>
      ) : summary.data.items.length === 0 ? (
        <p className="muted">{t("empty")}</p>
      ) : (
        <TableScroll>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("stock.item")}</th>
                <th scope="col">{t("stock.lot")}</th>
                <th scope="col">{t("stock.expiry")}</th>
                <th scope="col">{t("stock.vvm")}</th>
                <th scope="col" className="number">
                  {t("stock.onHand")}
                </th>
                <th scope="col" className="number">
                  {t("stock.amc")}
                </th>
                <th scope="col">{t("stock.mos")}</th>
                <th scope="col">{t("stock.status")}</th>
              </tr>
            </thead>
            {summary.data.items.map((item) => {
              const itemLots = lots.data.items.filter((lot) => lot.itemId === item.itemId);
              return (
                <tbody key={item.itemId} data-testid="store-item">
                  <tr>
                    <th scope="row" colSpan={4}>
                      {item.itemName} <span className="muted">{item.itemCode}</span>
                    </th>
                    <td className="number">{format.count(item.stockOnHand)}</td>
                    <td className="number">{format.count(item.averageMonthlyConsumption)}</td>
                    <td>
                      {item.monthsOfStock === null ? "—" : format.decimal(item.monthsOfStock)}{" "}
                      <span className="muted">
                        ({format.decimal(item.minMonths)}–{format.decimal(item.maxMonths)})
                      </span>
                    </td>
                    <td>
                      <span className={`temp ${statusTone[item.status]}`} style={{ minWidth: 0, fontSize: 13 }}>
                        {tStock(`status.${item.status}`)}
                      </span>
                    </td>
                  </tr>
                  {itemLots.map((lot) => (
                    <LotRow key={lot.batchId} lot={lot} />
                  ))}
                </tbody>
              );
            })}
          </table>
          {lots.data.nextCursor !== null ? (
            <p className="muted">{t("stock.more", { count: STORE_LOT_LIMIT })}</p>
          ) : null}
        </TableScroll>
      )}
    </section>
  );
}

function LotRow({ lot }: { lot: StoreLot }) {
  const t = useTranslations("store");
  const format = useConsoleFormat();
  // The API says why a lot is unusable in English; the page names it from the lot's own figures.
  const expired = lot.daysUntilExpiry < 0;
  const vvmUnusable = !lot.usable && !expired;
  return (
    <tr data-testid="store-lot" className={lot.usable ? undefined : "stale"}>
      <td />
      <td>{lot.lotNumber}</td>
      <td>
        {format.date(new Date(`${lot.expiryDate}T00:00:00+07:00`))}{" "}
        <span className="muted">
          {expired
            ? t("stock.expired")
            : lot.daysUntilExpiry <= 90
              ? t("stock.expiresInDays", { days: lot.daysUntilExpiry })
              : ""}
        </span>
      </td>
      <td>
        {t("stock.vvmStage", { stage: lot.vvmStage })}
        {vvmUnusable ? ` · ${t("stock.vvmUnusable")}` : ""}
      </td>
      <td className="number">{format.count(lot.quantity)}</td>
      <td />
      <td />
      <td />
    </tr>
  );
}
