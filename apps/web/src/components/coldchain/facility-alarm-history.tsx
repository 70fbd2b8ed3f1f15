"use client";

import { useInfiniteQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
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
  const history = useInfiniteQuery(
    trpc.coldchain.alarmHistory.infiniteQueryOptions(
      { orgUnitId: facilityId, limit: 10 },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const alarms = history.data?.pages.flatMap((page) => page.items) ?? [];

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
        <div className="table-scroll">
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
        </div>
      )}
      {history.hasNextPage ? (
        <button type="button" onClick={() => void history.fetchNextPage()} disabled={history.isFetchingNextPage}>
          {t("more")}
        </button>
      ) : null}
    </section>
  );
}
