"use client";

import type { RouterOutputs } from "@rantai/api";
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useEffect, useId, useMemo, useState } from "react";
import { useNow } from "~/components/coldchain/use-now";
import { ScopePicker } from "~/components/layout/scope-picker";
import { TableScroll } from "~/components/layout/table-scroll";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import {
  type FacilityFilter,
  type FacilityQuery,
  type FacilitySort,
  facilitiesInput,
  facilityFilters,
  facilityHref,
  facilityQueryString,
  pageSizes,
  parseFacilityQuery,
} from "./facility-query";

type FacilityRow = RouterOutputs["orgs"]["facilities"]["items"][number];
type ItemFigure = FacilityRow["stock"]["items"][number];

/** Colour of a status, the same tones as the stock page: warm for short, cold for too much. */
const stockTone: Record<FacilityRow["stock"]["status"], "ok" | "warm" | "cold" | "unknown"> = {
  stock_out: "warm",
  below_min: "warm",
  normal: "ok",
  above_max: "cold",
  unknown: "unknown",
  none: "unknown",
};
const coldChainTone: Record<FacilityRow["coldchain"]["status"], "ok" | "warm" | "cold" | "unknown"> = {
  alarm: "warm",
  offline: "warm",
  silent: "warm",
  ok: "ok",
  none: "unknown",
};

/** Waits this long after the last keystroke before searching, so typing a name costs one request. */
const searchDelayMs = 400;

/** The table in the state its URL describes. */
export function FacilityTableFromUrl() {
  const params = useSearchParams();
  const text = params.toString();
  const query = useMemo(() => parseFacilityQuery(new URLSearchParams(text)), [text]);
  return <FacilityTable query={query} />;
}

/**
 * Every facility under the user's scope (or a unit in it), searched, filtered, sorted and paged
 * on the server; the state lives in the URL (see facility-query.ts), so the overview's figures
 * link straight to their lists.
 */
export function FacilityTable({ query }: { query: FacilityQuery }) {
  const t = useTranslations("facilities");
  const tScope = useTranslations("scope");
  const tStock = useTranslations("stock");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const navigate = useQueryNavigation();
  const now = useNow(30_000);
  const ids = { search: useId(), status: useId(), antigen: useId(), size: useId() };

  const page = useQuery(
    trpc.orgs.facilities.queryOptions(facilitiesInput(query), { placeholderData: keepPreviousData }),
  );
  // The count of every match comes with the first page; a later page asks the first one (cached when paged to).
  const firstPage = useQuery(
    trpc.orgs.facilities.queryOptions(facilitiesInput({ ...query, after: [] }), {
      enabled: query.after.length > 0,
      staleTime: 60_000,
    }),
  );
  const total = query.after.length === 0 ? page.data?.total : firstPage.data?.total;
  const items = useQuery(trpc.stock.listItems.queryOptions({ limit: 100 }, { staleTime: 3_600_000 }));
  const vaccines = (items.data?.items ?? []).filter((item) => item.kind === "vaccine");
  const antigen = vaccines.find((item) => item.id === query.item);

  const [searchText, setSearchText] = useState(query.search ?? "");
  // Follows the URL (Back, a link, "clear"), but keeps what is being typed when only its trailing spaces differ.
  useEffect(
    () => setSearchText((typed) => (typed.trim() === (query.search ?? "") ? typed : (query.search ?? ""))),
    [query.search],
  );
  useEffect(() => {
    const search = searchText.trim() || undefined;
    if (search === query.search) return;
    const timer = setTimeout(() => navigate({ ...query, search, after: [] }, "replace"), searchDelayMs);
    return () => clearTimeout(timer);
  }, [searchText, query, navigate]);

  function submitSearch(event: FormEvent) {
    event.preventDefault();
    navigate({ ...query, search: searchText.trim() || undefined, after: [] }, "replace");
  }

  function sortBy(sort: FacilitySort) {
    const direction = query.sort === sort && query.direction === "asc" ? "desc" : "asc";
    navigate({ ...query, sort, direction, after: [] });
  }

  const from = query.after.length * query.pageSize + 1;
  const rows = page.data?.items ?? [];
  const filtered = query.search !== undefined || query.status !== undefined;

  return (
    <section aria-labelledby="facilities-heading">
      <div className="card page-heading">
        <div>
          <h1 id="facilities-heading">{t("title")}</h1>
          <p className="muted">{t("subtitle")}</p>
        </div>
        <ScopePicker
          value={query.unit}
          onChange={(unit) => navigate({ ...query, unit, after: [] })}
          label={tScope("area")}
        />
      </div>
      <search className="card" aria-label={t("filtersLabel")}>
        <form className="table-controls" onSubmit={submitSearch}>
          <label className="control-label" htmlFor={ids.search}>
            {t("search")}
          </label>
          <input
            id={ids.search}
            type="search"
            value={searchText}
            maxLength={100}
            onChange={(event) => setSearchText(event.target.value)}
          />
          <label className="control-label" htmlFor={ids.status}>
            {t("status")}
          </label>
          <select
            id={ids.status}
            value={query.status ?? ""}
            onChange={(event) =>
              navigate({
                ...query,
                status: facilityFilters.find((filter) => filter === event.target.value),
                after: [],
              })
            }
          >
            <option value="">{t("statusAll")}</option>
            {facilityFilters.map((filter: FacilityFilter) => (
              <option key={filter} value={filter}>
                {t(`filters.${filter}`)}
              </option>
            ))}
          </select>
          <label className="control-label" htmlFor={ids.antigen}>
            {t("antigen")}
          </label>
          <select
            id={ids.antigen}
            value={query.item ?? ""}
            onChange={(event) => {
              const item = event.target.value ? Number(event.target.value) : undefined;
              const sort = item === undefined && query.sort === "months_of_stock" ? "name" : query.sort;
              navigate({ ...query, item, sort, after: [] });
            }}
          >
            <option value="">{t("antigenNone")}</option>
            {vaccines.map((item) => (
              <option key={item.id} value={item.id}>
                {item.code} · {item.name}
              </option>
            ))}
          </select>
          <label className="control-label" htmlFor={ids.size}>
            {t("pageSize")}
          </label>
          <select
            id={ids.size}
            value={query.pageSize}
            onChange={(event) => navigate({ ...query, pageSize: Number(event.target.value), after: [] })}
          >
            {pageSizes.map((size) => (
              <option key={size} value={size}>
                {size}
              </option>
            ))}
          </select>
          {filtered ? (
            <button
              type="button"
              onClick={() => navigate({ ...query, search: undefined, status: undefined, after: [] })}
            >
              {t("clear")}
            </button>
          ) : null}
        </form>
      </search>
      {page.error ? (
        <p className="error" role="alert">
          {errorMessage(page.error)}
        </p>
      ) : !page.data ? (
        <p className="muted">{t("loading")}</p>
      ) : (
        <div className="card">
          <p className="muted" aria-live="polite" data-testid="facility-count">
            {rows.length === 0
              ? t("empty")
              : total !== null && total !== undefined
                ? t("showing", { from, to: from + rows.length - 1, total })
                : t("showingNoTotal", { from, to: from + rows.length - 1 })}
          </p>
          {rows.length > 0 ? (
            <TableScroll>
              <table data-testid="facility-table" aria-busy={page.isPlaceholderData}>
                <thead>
                  <tr>
                    <SortHeader sort="name" query={query} onSort={sortBy} label={t("columns.facility")} />
                    <SortHeader sort="stock_status" query={query} onSort={sortBy} label={t("columns.stockStatus")} />
                    {antigen ? (
                      <SortHeader
                        sort="months_of_stock"
                        query={query}
                        onSort={sortBy}
                        label={t("columns.mosOf", { code: antigen.code })}
                      />
                    ) : null}
                    <th scope="col">{t("columns.antigens")}</th>
                    <SortHeader sort="cold_chain_status" query={query} onSort={sortBy} label={t("columns.coldChain")} />
                    <SortHeader sort="last_sync" query={query} onSort={sortBy} label={t("columns.lastSync")} />
                  </tr>
                </thead>
                <tbody>
                  {rows.map((row) => (
                    <tr key={row.id} data-testid="facility-row">
                      <th scope="row">
                        <Link href={facilityHref(row.id)}>{row.name}</Link>
                        <div className="muted">
                          {row.code}
                          {row.district?.name ? ` · ${row.district.name}` : ""}
                        </div>
                      </th>
                      <td>
                        <span className={`badge ${stockTone[row.stock.status]}`} data-testid="stock-status">
                          {row.stock.status === "none" ? t("stockStatusNone") : tStock(`status.${row.stock.status}`)}
                        </span>
                      </td>
                      {antigen ? (
                        <td>
                          <MonthsOfStock figure={row.stock.items.find((item) => item.itemId === antigen.id)} />
                        </td>
                      ) : null}
                      <td>
                        <ul className="chips">
                          {row.stock.items.map((item) => (
                            <li key={item.itemId}>
                              <MonthsOfStock figure={item} withCode />
                            </li>
                          ))}
                        </ul>
                      </td>
                      <td>
                        <span className={`badge ${coldChainTone[row.coldchain.status]}`}>
                          {t(`coldChainStatus.${row.coldchain.status}`)}
                        </span>
                        {row.coldchain.fridges > 0 ? (
                          <div className="muted">{t("fridges", { count: row.coldchain.fridges })}</div>
                        ) : null}
                      </td>
                      <td title={row.lastSyncAt ? format.dateTime(row.lastSyncAt) : undefined}>
                        {row.lastSyncAt ? format.age(row.lastSyncAt, now) : t("neverSynced")}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          ) : null}
          <Pager query={query} nextCursor={page.data.nextCursor} />
        </div>
      )}
    </section>
  );
}

/** Goes to another state of the table: pushed (Back returns to it) or, while typing a search, replaced. */
function useQueryNavigation() {
  const router = useRouter();
  const pathname = usePathname();
  const [navigate] = useState(() => (query: FacilityQuery, mode: "push" | "replace" = "push") => {
    const href = `${pathname}${facilityQueryString(query)}`;
    if (mode === "push") router.push(href, { scroll: false });
    else router.replace(href, { scroll: false });
  });
  return navigate;
}

/** A column header that sorts the table, saying its order to assistive technology. */
function SortHeader({
  sort,
  query,
  onSort,
  label,
}: {
  sort: FacilitySort;
  query: FacilityQuery;
  onSort: (sort: FacilitySort) => void;
  label: string;
}) {
  const active = query.sort === sort;
  const order = active ? (query.direction === "asc" ? "ascending" : "descending") : undefined;
  return (
    <th scope="col" aria-sort={order ?? "none"}>
      <button type="button" className="sort" onClick={() => onSort(sort)} data-testid={`sort-${sort}`}>
        {label}
        <span aria-hidden="true">{active ? (query.direction === "asc" ? " ▲" : " ▼") : " ↕"}</span>
      </button>
    </th>
  );
}

/** An antigen's months of stock, coloured against its min/max, its status spelled out for screen readers. */
function MonthsOfStock({ figure, withCode = false }: { figure: ItemFigure | undefined; withCode?: boolean }) {
  const t = useTranslations("facilities");
  const tStock = useTranslations("stock");
  const format = useConsoleFormat();
  if (!figure) return <span className="muted">—</span>;
  const months = figure.monthsOfStock === null ? "—" : format.decimal(figure.monthsOfStock);
  const detail = t("mosDetail", {
    name: figure.name,
    mos: figure.monthsOfStock === null ? t("noConsumption") : months,
    min: format.count(figure.minMonths),
    max: format.count(figure.maxMonths),
  });
  return (
    <span className={`chip ${stockTone[figure.status]}`} title={detail} data-testid="months-of-stock">
      {withCode ? <span className="chip-code">{figure.code}</span> : null} {months}
      <span className="sr-only">
        {" "}
        {detail} · {tStock(`status.${figure.status}`)}
      </span>
    </span>
  );
}

/** Keyset pages: Next carries the page's last cursor, Previous drops it, First drops them all. */
function Pager({ query, nextCursor }: { query: FacilityQuery; nextCursor: FacilityQuery["after"][number] | null }) {
  const t = useTranslations("facilities");
  const pathname = usePathname();
  const pageNumber = query.after.length + 1;
  const href = (after: FacilityQuery["after"]) => `${pathname}${facilityQueryString({ ...query, after })}`;
  if (pageNumber === 1 && !nextCursor) return null;
  return (
    <nav aria-label={t("pages")} className="pager">
      {pageNumber > 2 ? (
        <Link href={href([])} scroll={false}>
          {t("first")}
        </Link>
      ) : null}
      {pageNumber > 1 ? (
        <Link href={href(query.after.slice(0, -1))} scroll={false} rel="prev" data-testid="previous-page">
          {t("previous")}
        </Link>
      ) : null}
      <span aria-current="page" data-testid="page-number">
        {t("page", { page: pageNumber })}
      </span>
      {nextCursor ? (
        <Link href={href([...query.after, nextCursor])} scroll={false} rel="next" data-testid="next-page">
          {t("next")}
        </Link>
      ) : null}
    </nav>
  );
}
