"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { CursorPager, useCursorPages } from "~/components/layout/cursor-pager";
import { TableScroll } from "~/components/layout/table-scroll";
import { type FacilityClock, useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import { useAlarmText } from "./alarm-labels";

/** Every alarm of the facility, newest first, each with the doses it put at risk when it started. */
export function FacilityAlarmHistory({ facilityId, clock }: { facilityId: number; clock: FacilityClock }) {
  const t = useTranslations("facility.alarms");
  const tAlarms = useTranslations("alarms");
  const format = useConsoleFormat();
  const { duration, extreme } = useAlarmText();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const pages = useCursorPages();
  const history = useQuery(
    trpc.coldchain.alarmHistory.queryOptions(
      { orgUnitId: facilityId, limit: 10, ...(pages.cursor === undefined ? {} : { cursor: pages.cursor }) },
      { placeholderData: keepPreviousData },
    ),
  );
  const alarms = history.data?.items ?? [];

  return (
    <section className="card" aria-labelledby="facility-alarms">
      <h2 id="facility-alarms">{t("title")}</h2>
      <p className="muted">{t("subtitle")}</p>
      {history.error ? (
        <p className="error" role="alert">
          {errorMessage(history.error)}
        </p>
      ) : !history.data ? (
        <p className="muted">{t("loading")}</p>
      ) : alarms.length === 0 ? (
        <p className="muted">{t("empty")}</p>
      ) : (
        <TableScroll>
          <table data-testid="alarm-history">
            <thead>
              <tr>
                <th scope="col">{t("columns.alarm")}</th>
                <th scope="col">{t("columns.fridge")}</th>
                <th scope="col">{t("columns.started")}</th>
                <th scope="col">{t("columns.status")}</th>
                <th scope="col">{t("columns.stockAtRisk")}</th>
              </tr>
            </thead>
            <tbody>
              {alarms.map((alarm) => (
                <tr key={alarm.id} data-testid="alarm-history-row">
                  <td>
                    <span className={`badge ${alarm.type === "freeze" ? "cold" : "warm"}`}>
                      {tAlarms(`types.${alarm.type}`)}
                    </span>
                    <div className="muted">
                      {[duration(alarm.durationSeconds), extreme(alarm)].filter(Boolean).join(" · ")}
                    </div>
                  </td>
                  <td>{alarm.equipment.name}</td>
                  <td>{format.facilityTime(alarm.startedAt, clock)}</td>
                  <td>{tAlarms(`status.${alarm.status}`)}</td>
                  <td>
                    {alarm.stockAtRisk.totalDoses === 0 ? (
                      <span className="muted">{t("nothingAtRisk")}</span>
                    ) : (
                      <>
                        <strong>{tAlarms("doses", { count: alarm.stockAtRisk.totalDoses })}</strong>
                        <div className="muted">
                          {alarm.stockAtRisk.items
                            .map((item) => `${item.code} ${format.count(item.doses)}`)
                            .join(" · ")}
                        </div>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <CursorPager
        pages={pages}
        nextCursor={history.data?.nextCursor}
        labels={{ pages: t("pagesLabel"), previous: t("previous"), next: t("next") }}
        testId="alarm-history"
      />
    </section>
  );
}
