"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { TableScroll } from "~/components/layout/table-scroll";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import { DistributionNav } from "./distribution-nav";
import { type DistributionView, parseView, viewQueries } from "./views";

const pageSize = 25;

/** The dispatcher's lists: requests to decide or ship, and shipments by stage, for the user's own store. */
export function DistributionBoard() {
  const t = useTranslations("distribution");
  const view = parseView(useSearchParams().get("view"));
  return (
    <section aria-labelledby="distribution-heading">
      <div className="page-heading">
        <h1 id="distribution-heading">{t("title")}</h1>
        <p className="muted">{t("subtitle")}</p>
      </div>
      <DistributionNav current={view} />
      {viewQueries[view].kind === "requests" ? (
        <RequestList key={view} view={view} />
      ) : (
        <ShipmentList key={view} view={view} />
      )}
    </section>
  );
}

function RequestList({ view }: { view: DistributionView }) {
  const t = useTranslations("distribution");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const { status } = viewQueries[view];
  const pages = useCursorPages();
  const requests = useQuery(
    trpc.distribution.listRequests.queryOptions(
      { direction: "incoming", status: status as "submitted" | "approved", limit: pageSize, cursor: pages.cursor },
      { placeholderData: keepPreviousData },
    ),
  );
  if (requests.error)
    return (
      <p className="error" role="alert">
        {errorMessage(requests.error)}
      </p>
    );
  if (!requests.data) return <p className="muted">{t("loading")}</p>;
  const rows = requests.data.items;
  if (rows.length === 0) return <p className="muted">{t("requests.empty")}</p>;
  return (
    <TableScroll card>
      <table data-testid="request-list">
        <thead>
          <tr>
            <th scope="col">{t("requests.columns.number")}</th>
            <th scope="col">{t("requests.columns.facility")}</th>
            <th scope="col">{t("requests.columns.submitted")}</th>
            {view === "approved" ? <th scope="col">{t("requests.columns.decided")}</th> : null}
            <th scope="col">{t("requests.columns.status")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-testid="request-row">
              <td>
                <Link href={`/distribution/requests/${row.id}`} aria-label={t("requests.open", { number: row.id })}>
                  #{row.id}
                </Link>
              </td>
              <td>{row.requesterName}</td>
              <td>{row.submittedAt ? format.dateTime(row.submittedAt) : "—"}</td>
              {view === "approved" ? <td>{row.decidedAt ? format.dateTime(row.decidedAt) : "—"}</td> : null}
              <td>
                <span className={`badge ${row.status === "submitted" ? "warm" : "ok"}`}>
                  {t(`requestStatus.${row.status}`)}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager pages={pages} nextCursor={requests.data.nextCursor} />
    </TableScroll>
  );
}

function ShipmentList({ view }: { view: DistributionView }) {
  const t = useTranslations("distribution");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const { status } = viewQueries[view];
  const pages = useCursorPages();
  const shipments = useQuery(
    trpc.distribution.listShipments.queryOptions(
      {
        direction: "outgoing",
        status: status as "draft" | "dispatched" | "received",
        limit: pageSize,
        cursor: pages.cursor,
      },
      { placeholderData: keepPreviousData },
    ),
  );
  if (shipments.error)
    return (
      <p className="error" role="alert">
        {errorMessage(shipments.error)}
      </p>
    );
  if (!shipments.data) return <p className="muted">{t("loading")}</p>;
  const rows = shipments.data.items;
  if (rows.length === 0) return <p className="muted">{t("shipments.empty")}</p>;
  const when = (at: Date | null) => (at ? format.dateTime(at) : "—");
  return (
    <TableScroll card>
      <table data-testid="shipment-list">
        <thead>
          <tr>
            <th scope="col">{t("shipments.columns.number")}</th>
            <th scope="col">{t("shipments.columns.to")}</th>
            <th scope="col">{t("shipments.columns.request")}</th>
            <th scope="col">
              {t(
                view === "drafts"
                  ? "shipments.columns.created"
                  : view === "transit"
                    ? "shipments.columns.dispatched"
                    : "shipments.columns.received",
              )}
            </th>
            <th scope="col">{t("shipments.columns.status")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row) => (
            <tr key={row.id} data-testid="shipment-row">
              <td>
                <Link href={`/distribution/shipments/${row.id}`} aria-label={t("shipments.open", { number: row.id })}>
                  #{row.id}
                </Link>
              </td>
              <td>{row.receiverName}</td>
              <td>
                {row.requestId ? <Link href={`/distribution/requests/${row.requestId}`}>#{row.requestId}</Link> : "—"}
              </td>
              <td>
                {when(view === "drafts" ? row.createdAt : view === "transit" ? row.dispatchedAt : row.receivedAt)}
              </td>
              <td>
                <span
                  className={`badge ${row.status === "received" ? "ok" : row.status === "dispatched" ? "cold" : "unknown"}`}
                >
                  {t(`shipmentStatus.${row.status}`)}
                </span>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pager pages={pages} nextCursor={shipments.data.nextCursor} />
    </TableScroll>
  );
}

/** Keyset pages, newest first: the cursors of the pages before this one, so "previous" drops the last. */
function useCursorPages() {
  const [cursors, setCursors] = useState<number[]>([]);
  return {
    cursor: cursors.at(-1),
    hasPrevious: cursors.length > 0,
    next: (cursor: number) => setCursors([...cursors, cursor]),
    previous: () => setCursors(cursors.slice(0, -1)),
  };
}

function Pager({ pages, nextCursor }: { pages: ReturnType<typeof useCursorPages>; nextCursor: number | null }) {
  const t = useTranslations("distribution");
  if (!pages.hasPrevious && nextCursor === null) return null;
  return (
    <nav aria-label={t("pages")} className="pager" style={{ display: "flex", gap: 8, marginTop: 12 }}>
      <button type="button" disabled={!pages.hasPrevious} onClick={pages.previous}>
        {t("previous")}
      </button>
      <button
        type="button"
        disabled={nextCursor === null}
        onClick={() => nextCursor !== null && pages.next(nextCursor)}
      >
        {t("next")}
      </button>
    </nav>
  );
}
