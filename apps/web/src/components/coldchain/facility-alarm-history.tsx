"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useCursorPages } from "~/components/layout/cursor-pager";
import { ListCard, pagedListMessages } from "~/components/layout/list-card";
import { type FacilityClock, useConsoleFormat } from "~/i18n/use-console-format";
import { useTRPC } from "~/trpc/react";
import { useAlarmText } from "./alarm-labels";

/** Every alarm of the facility, newest first, each with the doses it put at risk when it started. */
export function FacilityAlarmHistory({ facilityId, clock }: { facilityId: number; clock: FacilityClock }) {
  const t = useTranslations("facility.alarms");
  const tAlarms = useTranslations("alarms");
  const format = useConsoleFormat();
  const { duration, extreme } = useAlarmText();
  const trpc = useTRPC();
  const pages = useCursorPages();
  const history = useQuery(
    trpc.coldchain.alarmHistory.queryOptions(
      { orgUnitId: facilityId, limit: 10, ...(pages.cursor === undefined ? {} : { cursor: pages.cursor }) },
      { placeholderData: keepPreviousData },
    ),
  );

  return (
    <ListCard
      id="facility-alarms"
      heading={t("title")}
      subtitle={t("subtitle")}
      query={history}
      messages={pagedListMessages(t)}
      columns={[
        t("columns.alarm"),
        t("columns.fridge"),
        t("columns.started"),
        t("columns.status"),
        t("columns.stockAtRisk"),
      ]}
      tableTestId="alarm-history"
      pages={pages}
      pagerTestId="alarm-history"
    >
      {(alarms) =>
        alarms.map((alarm) => (
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
                    {alarm.stockAtRisk.items.map((item) => `${item.code} ${format.count(item.doses)}`).join(" · ")}
                  </div>
                </>
              )}
            </td>
          </tr>
        ))
      }
    </ListCard>
  );
}
