"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import type { ReactNode } from "react";
import { CursorPager, type CursorPages, useCursorPages } from "~/components/layout/cursor-pager";
import { QueryState } from "~/components/layout/query-state";
import { TableScroll } from "~/components/layout/table-scroll";
import { useConsoleFormat } from "~/i18n/use-console-format";
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
  const trpc = useTRPC();
  const { status } = viewQueries[view];
  const pages = useCursorPages();
  const requests = useQuery(
    trpc.distribution.listRequests.queryOptions(
      { direction: "incoming", status: status as "submitted" | "approved", limit: pageSize, cursor: pages.cursor },
      { placeholderData: keepPreviousData },
    ),
  );
  return (
    <BoardTable
      query={requests}
      empty={t("requests.empty")}
      testId="request-list"
      pages={pages}
      columns={
        <>
          <th scope="col">{t("requests.columns.number")}</th>
          <th scope="col">{t("requests.columns.facility")}</th>
          <th scope="col">{t("requests.columns.submitted")}</th>
          {view === "approved" ? <th scope="col">{t("requests.columns.decided")}</th> : null}
          <th scope="col">{t("requests.columns.status")}</th>
        </>
      }
    >
      {(rows) =>
        rows.map((row) => (
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
        ))
      }
    </BoardTable>
  );
}

function ShipmentList({ view }: { view: DistributionView }) {
  const t = useTranslations("distribution");
  const format = useConsoleFormat();
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
  const when = (at: Date | null) => (at ? format.dateTime(at) : "—");
  return (
    <BoardTable
      query={shipments}
      empty={t("shipments.empty")}
      testId="shipment-list"
      pages={pages}
      columns={
        <>
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
        </>
      }
    >
      {(rows) =>
        rows.map((row) => (
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
            <td>{when(view === "drafts" ? row.createdAt : view === "transit" ? row.dispatchedAt : row.receivedAt)}</td>
            <td>
              <span
                className={`badge ${row.status === "received" ? "ok" : row.status === "dispatched" ? "cold" : "unknown"}`}
              >
                {t(`shipmentStatus.${row.status}`)}
              </span>
            </td>
          </tr>
        ))
      }
    </BoardTable>
  );
}

/** One list of the board: its table in a scrolling card, with its pager inside the card. */
function BoardTable<Data extends { items: readonly unknown[]; nextCursor: number | null }>({
  query,
  empty,
  testId,
  pages,
  columns,
  children,
}: {
  query: { data: Data | undefined; error: unknown };
  empty: string;
  testId: string;
  pages: CursorPages;
  columns: ReactNode;
  children: (rows: Data["items"]) => ReactNode;
}) {
  const t = useTranslations("distribution");
  return (
    <QueryState query={query} loading={t("loading")} empty={empty} isEmpty={(data) => data.items.length === 0}>
      {(data) => (
        <TableScroll card>
          <table data-testid={testId}>
            <thead>
              <tr>{columns}</tr>
            </thead>
            <tbody>{children(data.items)}</tbody>
          </table>
          <CursorPager
            pages={pages}
            nextCursor={data.nextCursor}
            labels={{ pages: t("pages"), previous: t("previous"), next: t("next") }}
          />
        </TableScroll>
      )}
    </QueryState>
  );
}
