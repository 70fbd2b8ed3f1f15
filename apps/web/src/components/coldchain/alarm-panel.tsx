"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import { type Alarm, useAlarmText } from "./alarm-labels";
import { type ChartRange, TemperatureChart } from "./temperature-chart";

const refreshMs = 10_000;

/** Live alarms under the chosen unit: what happened, since when, and what stock it threatens. */
export function AlarmPanel({ orgUnitId }: { orgUnitId: number | undefined }) {
  const t = useTranslations("alarms");
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const [showAll, setShowAll] = useState(false);
  const alarms = useQuery(
    trpc.coldchain.alarms.list.queryOptions(
      { orgUnitId, status: showAll ? "all" : "live" },
      { refetchInterval: refreshMs },
    ),
  );
  if (alarms.error)
    return (
      <p className="error" role="alert">
        {errorMessage(alarms.error)}
      </p>
    );
  const items = alarms.data?.items ?? [];
  return (
    <section className="card" aria-label={t("label")}>
      <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
        <h2>{showAll ? t("all") : t("live")}</h2>
        <label className="muted">
          <input type="checkbox" checked={showAll} onChange={(event) => setShowAll(event.target.checked)} />{" "}
          {t("includeResolved")}
        </label>
      </div>
      {!alarms.data ? (
        <p className="muted">{t("loading")}</p>
      ) : items.length === 0 ? (
        <p className="muted" data-testid="no-alarms">
          {showAll ? t("noneAll") : t("noneLive")}
        </p>
      ) : (
        <ul className="alarms">
          {items.map((alarm) => (
            <AlarmItem key={alarm.id} alarm={alarm} />
          ))}
        </ul>
      )}
    </section>
  );
}

/** One alarm: what happened, where, since when; opens to its details (stock at risk, acknowledgement). */
export function AlarmItem({ alarm }: { alarm: Alarm }) {
  const t = useTranslations("alarms");
  const format = useConsoleFormat();
  const text = useAlarmText();
  const [open, setOpen] = useState(false);
  const extreme = text.extreme(alarm);
  return (
    <li className={`alarm ${alarm.severity}`} data-testid="alarm" data-alarm-type={alarm.type}>
      <button type="button" className="alarm-summary" onClick={() => setOpen(!open)} aria-expanded={open}>
        <strong>{t(`types.${alarm.type}`)}</strong>
        <span>
          {alarm.facility.name} · {alarm.equipment.name}
        </span>
        <span className="muted">
          {t("since", { time: format.facilityTime(alarm.startedAt, alarm.facility) })} ·{" "}
          {text.duration(alarm.durationSeconds)}
          {extreme ? ` · ${extreme}` : ""}
          {alarm.detectedLate ? ` · ${t("reportedLate")}` : ""}
        </span>
        <span className="muted">
          {t(`status.${alarm.status}`)}
          {alarm.needsAcknowledgement ? ` · ${t("needsAcknowledgement")}` : ""}
          {alarm.assignee ? ` · ${t("assignedTo", { name: alarm.assignee.name ?? t("someone") })}` : ""}
        </span>
      </button>
      {open ? <AlarmDetails alarmId={alarm.id} /> : null}
    </li>
  );
}

/** The shortest of the chart's ranges that reaches back to the alarm's start. */
function rangeCovering(startedAt: Date): ChartRange {
  const age = Date.now() - startedAt.getTime();
  const day = 86_400_000;
  if (age < day) return "24h";
  if (age < 7 * day) return "7d";
  if (age < 30 * day) return "30d";
  return "1y";
}

function AlarmDetails({ alarmId }: { alarmId: number }) {
  const t = useTranslations("alarms");
  const tCommon = useTranslations("common");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const detail = useQuery(trpc.coldchain.alarms.get.queryOptions({ alarmId }));
  if (detail.error)
    return (
      <p className="error" role="alert">
        {errorMessage(detail.error)}
      </p>
    );
  if (!detail.data) return <p className="muted">{tCommon("loading")}</p>;
  const { stockAtRisk, acknowledgement, needsAcknowledgement, facility, mayAct } = detail.data;
  return (
    <div className="alarm-details">
      <TemperatureChart
        fridgeId={detail.data.equipment.id}
        initialRange={rangeCovering(detail.data.startedAt)}
        alarms={[
          {
            id: detail.data.id,
            type: detail.data.type,
            startedAt: detail.data.startedAt,
            endedAt: detail.data.endedAt,
          },
        ]}
      />
      <h3>{t("stockAtRiskHeading")}</h3>
      {stockAtRisk.items.length === 0 ? (
        <p className="muted">{t("noStockAtRisk")}</p>
      ) : (
        <ul data-testid="stock-at-risk">
          {stockAtRisk.items.map((item) => (
            <li key={item.itemId}>
              <strong>{item.name}</strong> — {t("doses", { count: item.doses })}
              {item.freezeSensitive ? ` · ${t("freezeSensitive")}` : ""}
              {item.heatSensitive ? ` · ${t("heatSensitive")}` : ""}
              <span className="muted"> ({item.batches.map((batch) => batch.lotNumber).join(", ")})</span>
            </li>
          ))}
        </ul>
      )}
      {acknowledgement ? (
        <p className="muted">
          {t("acknowledgedBy", {
            name: acknowledgement.by.name ?? t("someone"),
            time: format.facilityTime(acknowledgement.at, facility),
            comment: acknowledgement.comment ?? "",
          })}
        </p>
      ) : needsAcknowledgement && mayAct ? (
        <AcknowledgeForm alarmId={alarmId} />
      ) : null}
      {mayAct && detail.data.status !== "retracted" ? (
        <AssignForm alarmId={alarmId} assigneeId={detail.data.assignee?.id ?? null} />
      ) : null}
    </div>
  );
}

/** Gives the alarm to someone who may act on it (people of the reader's area), or to nobody. */
function AssignForm({ alarmId, assigneeId }: { alarmId: number; assigneeId: number | null }) {
  const t = useTranslations("alarms");
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const assignees = useQuery(trpc.coldchain.alarms.assignees.queryOptions({ alarmId }));
  const [chosen, setChosen] = useState<string>(assigneeId === null ? "" : String(assigneeId));
  const assign = useMutation(
    trpc.coldchain.alarms.assign.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.coldchain.alarms.pathKey() }),
    }),
  );
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    assign.mutate({ alarmId, assigneeUserId: chosen === "" ? null : Number(chosen) });
  }
  return (
    <form onSubmit={onSubmit} className="assign">
      <label htmlFor={`assign-${alarmId}`}>{t("assignLabel")}</label>
      <select id={`assign-${alarmId}`} value={chosen} onChange={(event) => setChosen(event.target.value)}>
        <option value="">{t("nobody")}</option>
        {(assignees.data ?? []).map((user) => (
          <option key={user.id} value={user.id}>
            {user.name} · {user.orgUnitName}
          </option>
        ))}
      </select>
      <button type="submit" disabled={assign.isPending || chosen === String(assigneeId ?? "")}>
        {t("assign")}
      </button>
      {assign.error || assignees.error ? (
        <p className="error" role="alert">
          {errorMessage(assign.error ?? assignees.error)}
        </p>
      ) : null}
    </form>
  );
}

function AcknowledgeForm({ alarmId }: { alarmId: number }) {
  const t = useTranslations("alarms");
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [comment, setComment] = useState("");
  const acknowledge = useMutation(
    trpc.coldchain.alarms.acknowledge.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.coldchain.alarms.pathKey() }),
    }),
  );
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    acknowledge.mutate({ alarmId, comment });
  }
  return (
    <form onSubmit={onSubmit} className="acknowledge">
      <label htmlFor={`ack-${alarmId}`}>{t("acknowledgeLabel")}</label>
      <textarea
        id={`ack-${alarmId}`}
        value={comment}
        onChange={(event) => setComment(event.target.value)}
        rows={2}
        maxLength={1000}
        placeholder={t("acknowledgePlaceholder")}
      />
      {acknowledge.error ? (
        <p className="error" role="alert">
          {errorMessage(acknowledge.error)}
        </p>
      ) : null}
      <button type="submit" disabled={acknowledge.isPending || comment.trim() === ""}>
        {t("acknowledge")}
      </button>
    </form>
  );
}
