"use client";

import type { CSSProperties, ReactNode } from "react";
import { CursorPager, type CursorPages } from "./cursor-pager";
import { QueryState } from "./query-state";
import { TableScroll } from "./table-scroll";

/** A column heading; `numeric` right-aligns it over figures. */
export type ListColumn = { label: ReactNode; numeric?: boolean } | ReactNode;

const isColumnObject = (column: ListColumn): column is { label: ReactNode; numeric?: boolean } =>
  typeof column === "object" && column !== null && "label" in column;

/**
 * A card with a paged table read from one query (the administration lists, a facility's ledger
 * and alarm history): its heading and tools, the query's error, loading or empty line, the table
 * in its scrolling box, and the pager.
 */
export function ListCard<Data extends { items: readonly unknown[]; nextCursor: number | null }>({
  id,
  heading,
  subtitle,
  tools,
  query,
  messages,
  reserve,
  columns,
  tableTestId,
  pages,
  pagerTestId,
  children,
}: {
  id: string;
  heading: ReactNode;
  subtitle?: ReactNode;
  tools?: ReactNode;
  query: { data: Data | undefined; error: unknown };
  messages: { loading: string; empty: string; pages: string; previous: string; next: string };
  reserve?: CSSProperties["minHeight"];
  columns: readonly ListColumn[];
  tableTestId?: string;
  pages: CursorPages;
  pagerTestId?: string;
  children: (items: Data["items"]) => ReactNode;
}) {
  const title = <h2 id={id}>{heading}</h2>;
  return (
    <section className="card" aria-labelledby={id}>
      {tools ? (
        <div className="page-heading">
          {title}
          {tools}
        </div>
      ) : (
        title
      )}
      {subtitle ? <p className="muted">{subtitle}</p> : null}
      <QueryState
        query={query}
        loading={messages.loading}
        empty={messages.empty}
        isEmpty={(data) => data.items.length === 0}
        reserve={reserve}
      >
        {(data) => (
          <DataTable columns={columns} testId={tableTestId}>
            {children(data.items)}
          </DataTable>
        )}
      </QueryState>
      <CursorPager
        pages={pages}
        nextCursor={query.data?.nextCursor}
        labels={{ pages: messages.pages, previous: messages.previous, next: messages.next }}
        testId={pagerTestId}
      />
    </section>
  );
}

/** A table's column headings. */
export function TableHead({ columns }: { columns: readonly ListColumn[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column, index) =>
          isColumnObject(column) ? (
            // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for the table's life
            <th key={index} scope="col" className={column.numeric ? "number" : undefined}>
              {column.label}
            </th>
          ) : (
            // biome-ignore lint/suspicious/noArrayIndexKey: the columns are fixed for the table's life
            <th key={index} scope="col">
              {column}
            </th>
          ),
        )}
      </tr>
    </thead>
  );
}

type PagedListKey = "loading" | "empty" | "pagesLabel" | "previous" | "next";
/** A paged list's own messages, from its area of the catalog (each list names them alike). */
export function pagedListMessages(t: (key: PagedListKey) => string) {
  return { loading: t("loading"), empty: t("empty"), pages: t("pagesLabel"), previous: t("previous"), next: t("next") };
}

/** A table in its scrolling box: the column headings, then the rows given. */
export function DataTable({
  columns,
  testId,
  children,
}: {
  columns: readonly ListColumn[];
  testId?: string;
  children: ReactNode;
}) {
  return (
    <TableScroll>
      <table data-testid={testId}>
        <TableHead columns={columns} />
        <tbody>{children}</tbody>
      </table>
    </TableScroll>
  );
}
