"use client";

import type { RouterOutputs } from "@rantai/api";
import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { ScopePicker } from "~/components/layout/scope-picker";
import { TableScroll } from "~/components/layout/table-scroll";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import { facilityHref, type OverviewLink, overviewHref, overviewLinkHref, parseFacilityQuery } from "./facility-query";

type Overview = RouterOutputs["orgs"]["overview"];
type Figures = Overview["totals"];
type Tree = RouterOutputs["orgs"]["tree"];

/**
 * The overview of the user's scope, or of a unit under it (`?unit=`): what needs acting on,
 * counted over every facility, each figure a link to the list behind it; below, the same
 * figures for each unit one level down, whose names drill down (province → district → facility).
 */
export function OverviewBoard() {
  const t = useTranslations("overview");
  const tScope = useTranslations("scope");
  const tFacility = useTranslations("facility");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const router = useRouter();
  const unit = parseFacilityQuery(useSearchParams()).unit;
  const overview = useQuery(trpc.orgs.overview.queryOptions({ orgUnitId: unit }));

  return (
    <section aria-labelledby="overview-heading">
      <div className="card page-heading">
        <div>
          <LevelTrail current={overview.data?.scope} />
          <h1 id="overview-heading">
            {overview.data ? t("title", { scope: overview.data.scope.name }) : t("loading")}
          </h1>
          {overview.data ? (
            <>
              <p className="muted">
                {t("subtitle", {
                  count: overview.data.totals.facilities,
                  time: format.dateTime(overview.data.generatedAt),
                })}
              </p>
              {overview.data.scope.level === "facility" ? (
                <p>
                  <Link href={facilityHref(overview.data.scope.id)} data-testid="open-facility-page">
                    {tFacility("openPage")}
                  </Link>
                </p>
              ) : null}
              <p className="muted">
                {overview.data.consumptionRatesComputedAt
                  ? t("ratesAsOf", { date: format.date(overview.data.consumptionRatesComputedAt) })
                  : t("ratesMissing")}
              </p>
            </>
          ) : null}
        </div>
        <ScopePicker
          value={unit}
          onChange={(id) => router.push(overviewHref(id))}
          label={tScope("area")}
          includeFacilities
        />
      </div>
      {overview.error ? (
        <p className="error" role="alert">
          {errorMessage(overview.error)}
        </p>
      ) : !overview.data ? (
        <p className="muted">{t("loading")}</p>
      ) : (
        <>
          <ScopeFigures figures={overview.data.totals} />
          <ChildrenTable overview={overview.data} />
        </>
      )}
    </section>
  );
}

/** Where the shown unit sits under the user's own: each level a link back up. */
function LevelTrail({ current }: { current: Overview["scope"] | undefined }) {
  const t = useTranslations("overview");
  const trpc = useTRPC();
  const tree = useQuery(trpc.orgs.tree.queryOptions({ levels: 2 }));
  if (!tree.data || !current) return null;
  const trail = pathTo(tree.data, current.id) ?? [{ id: tree.data.id, name: tree.data.name }, current];
  if (trail.length <= 1) return null;
  return (
    <nav aria-label={t("levels")} className="muted level-trail">
      {trail.map((unit, index) => (
        <span key={unit.id}>
          {index > 0 ? " › " : ""}
          {index === trail.length - 1 ? (
            <span aria-current="page">{unit.name}</span>
          ) : (
            <Link href={overviewHref(index === 0 ? undefined : unit.id)}>{unit.name}</Link>
          )}
        </span>
      ))}
    </nav>
  );
}

function pathTo(node: Tree, id: number): { id: number; name: string }[] | null {
  if (node.id === id) return [{ id: node.id, name: node.name }];
  for (const child of node.children) {
    const below = pathTo(child, id);
    if (below) return [{ id: node.id, name: node.name }, ...below];
  }
  return null;
}

function ScopeFigures({ figures }: { figures: Figures }) {
  const t = useTranslations("overview");
  const { stock, coldchain, alarms, dosesAtRisk } = figures;
  const atFacilities = (count: number) => t("figures.atFacilities", { count });
  return (
    <div className="overview-sections">
      <section className="card" aria-labelledby="overview-stock">
        <h2 id="overview-stock">{t("sections.stock")}</h2>
        <div className="figures">
          <Figure value={stock.stockOut.facilities} label={t("figures.stockOut")} link={stock.stockOut.link} alert />
          <Figure value={stock.belowMin.facilities} label={t("figures.belowMin")} link={stock.belowMin.link} alert />
          <Figure value={stock.aboveMax.facilities} label={t("figures.aboveMax")} link={stock.aboveMax.link} />
          {stock.expiring.map((window) => (
            <Figure
              key={window.withinDays}
              value={window.facilities}
              label={t("figures.expiring", { days: window.withinDays })}
              detail={t("figures.expiringDoses", { doses: window.doses })}
              link={window.link}
            />
          ))}
        </div>
      </section>
      <section className="card" aria-labelledby="overview-coldchain">
        <h2 id="overview-coldchain">{t("sections.coldchain")}</h2>
        <p className="muted">{t("figures.fridgesTotal", { count: coldchain.fridges })}</p>
        <div className="figures">
          <Figure
            value={coldchain.inAlarm.fridges}
            label={t("figures.inAlarm")}
            detail={atFacilities(coldchain.inAlarm.facilities)}
            link={coldchain.inAlarm.link}
            alert
          />
          <Figure
            value={coldchain.offline.fridges}
            label={t("figures.offline")}
            detail={atFacilities(coldchain.offline.facilities)}
            link={coldchain.offline.link}
          />
          <Figure
            value={coldchain.silent.fridges}
            label={t("figures.silent")}
            detail={atFacilities(coldchain.silent.facilities)}
            link={coldchain.silent.link}
          />
        </div>
      </section>
      <section className="card" aria-labelledby="overview-alarms">
        <h2 id="overview-alarms">{t("sections.alarms")}</h2>
        <p className="muted">{t("figures.liveAlarms", { count: alarms.live })}</p>
        <div className="figures">
          {alarms.byAge.map((bucket) => (
            <Figure
              key={bucket.bucket}
              value={bucket.alarms}
              label={t(`figures.alarmAge.${bucket.bucket}`)}
              link={bucket.link}
              alert={bucket.bucket === "over_7_days"}
            />
          ))}
        </div>
      </section>
      <section className="card" aria-labelledby="overview-risk">
        <h2 id="overview-risk">{t("sections.risk")}</h2>
        <div className="figures">
          <Figure
            value={dosesAtRisk.doses}
            label={t("figures.dosesAtRisk")}
            detail={atFacilities(dosesAtRisk.facilities)}
            link={dosesAtRisk.link}
            alert
          />
        </div>
      </section>
    </div>
  );
}

/** One figure: the number, what it counts, and a link to the list of what it counts. */
function Figure({
  value,
  label,
  detail,
  link,
  alert = false,
}: {
  value: number;
  label: string;
  detail?: string;
  link: OverviewLink;
  /** Drawn in the warning colour when above zero. */
  alert?: boolean;
}) {
  const format = useConsoleFormat();
  return (
    <Link
      href={overviewLinkHref(link)}
      className={`figure${alert && value > 0 ? " alert" : ""}`}
      data-testid={`figure-${link.list === "facilities" ? link.status : `alarms-${link.age}`}`}
    >
      <strong className="figure-value">{format.count(value)}</strong>
      <span>{label}</span>
      {detail ? <span className="muted">{detail}</span> : null}
    </Link>
  );
}

/** The figures of each unit one level down; a name drills down, a number opens its list. */
function ChildrenTable({ overview }: { overview: Overview }) {
  const t = useTranslations("overview");
  const format = useConsoleFormat();
  if (overview.children.length === 0)
    return <p className="muted card">{t("noChildren", { scope: overview.scope.name })}</p>;
  const level = overview.children[0]?.level ?? "facility";
  const count = (value: number, link: OverviewLink) => ({ value, link });
  const columns = [
    ["stockOut", (f: Figures) => count(f.stock.stockOut.facilities, f.stock.stockOut.link)],
    ["belowMin", (f: Figures) => count(f.stock.belowMin.facilities, f.stock.belowMin.link)],
    ["aboveMax", (f: Figures) => count(f.stock.aboveMax.facilities, f.stock.aboveMax.link)],
    [
      "expiring30",
      (f: Figures) => {
        const window = f.stock.expiring.find((candidate) => candidate.withinDays === 30);
        return window ? count(window.facilities, window.link) : null;
      },
    ],
    ["inAlarm", (f: Figures) => count(f.coldchain.inAlarm.fridges, f.coldchain.inAlarm.link)],
    ["offline", (f: Figures) => count(f.coldchain.offline.fridges, f.coldchain.offline.link)],
    ["silent", (f: Figures) => count(f.coldchain.silent.fridges, f.coldchain.silent.link)],
    [
      "alarms",
      (f: Figures) => {
        const youngest = f.alarms.byAge[0];
        return youngest ? count(f.alarms.live, youngest.link) : null;
      },
    ],
    ["dosesAtRisk", (f: Figures) => count(f.dosesAtRisk.doses, f.dosesAtRisk.link)],
  ] as const;
  return (
    <section className="card" aria-labelledby="overview-children">
      <h2 id="overview-children">{t("children", { level })}</h2>
      <TableScroll>
        <table data-testid="overview-children">
          <thead>
            <tr>
              <th scope="col">{t("columns.unit")}</th>
              <th scope="col" className="number">
                {t("columns.facilities")}
              </th>
              {columns.map(([key]) => (
                <th key={key} scope="col" className="number">
                  {t(`columns.${key}`)}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {overview.children.map((child) => (
              <tr key={child.id} data-testid="overview-child">
                <th scope="row">
                  <Link href={overviewHref(child.id)}>{child.name}</Link>
                </th>
                <td className="number">{format.count(child.figures.facilities)}</td>
                {columns.map(([key, pick]) => {
                  const figure = pick(child.figures);
                  return (
                    <td key={key} className="number">
                      {figure ? (
                        <CountLink
                          count={figure.value}
                          link={figure.link}
                          figure={t(`columns.${key}`)}
                          unit={child.name}
                        />
                      ) : null}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </section>
  );
}

function CountLink({ count, link, figure, unit }: { count: number; link: OverviewLink; figure: string; unit: string }) {
  const t = useTranslations("overview");
  const format = useConsoleFormat();
  if (count === 0) return <span className="muted">{format.count(0)}</span>;
  return (
    <Link href={overviewLinkHref(link)} aria-label={t("openList", { count, figure, unit })}>
      {format.count(count)}
    </Link>
  );
}
