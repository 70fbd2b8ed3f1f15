"use client";

import { useInfiniteQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ScopePicker } from "~/components/layout/scope-picker";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import {
  type AlarmFilters,
  alarmAgeFilters,
  alarmStatusFilters,
  alarmsHref,
  alarmTypeFilters,
  parseAlarmFilters,
} from "./alarm-filters";
import { AlarmItem } from "./alarm-panel";

const pageSize = 50;

/**
 * The alarm inbox of the user's area, live: the server pushes a notice whenever an alarm of the
 * area changes (raised by ingest, resolved, acknowledged or assigned anywhere), and the list is
 * fetched again. It is also fetched whenever the stream (re)starts, so nothing raised while the
 * connection was down is missed. Filters live in the URL (the overview links here by age).
 */
export function AlarmInbox() {
  const t = useTranslations("alarms");
  const tScope = useTranslations("scope");
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const filters = parseAlarmFilters(new URLSearchParams(useSearchParams().toString()));
  const setFilters = (change: Partial<AlarmFilters>) =>
    router.replace(alarmsHref({ ...filters, ...change }), { scroll: false });

  const list = useInfiniteQuery(
    trpc.coldchain.alarms.list.infiniteQueryOptions(
      { orgUnitId: filters.unit, status: filters.status, type: filters.type, age: filters.age, limit: pageSize },
      { getNextPageParam: (page) => page.nextCursor ?? undefined },
    ),
  );
  const [listening, setListening] = useState(false);
  const live = useSubscription(
    trpc.coldchain.alarms.watch.subscriptionOptions(
      { orgUnitId: filters.unit },
      {
        onData(message) {
          if (message.kind === "ready") setListening(true);
          void queryClient.invalidateQueries({ queryKey: trpc.coldchain.alarms.list.pathKey() });
          if (message.kind === "changed")
            void queryClient.invalidateQueries({
              queryKey: trpc.coldchain.alarms.get.queryKey({ alarmId: message.alarmId }),
            });
        },
        onConnectionStateChange(state) {
          if (state.state !== "pending") setListening(false);
        },
      },
    ),
  );
  const liveState = listening && live.status === "pending" ? "connected" : live.error ? "interrupted" : "connecting";

  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <section aria-labelledby="alarm-inbox-title">
      <div className="card">
        <div
          style={{ display: "flex", justifyContent: "space-between", alignItems: "center", gap: 16, flexWrap: "wrap" }}
        >
          <h2 id="alarm-inbox-title">{t("inbox.title")}</h2>
          <span className="muted live-status" role="status" data-state={liveState} data-testid="live-status">
            {t(`inbox.${liveState}`)}
          </span>
        </div>
        <fieldset className="inbox-filters" style={{ border: 0, padding: 0, margin: "8px 0 0" }}>
          <legend className="muted" style={{ padding: 0 }}>
            {t("filters.label")}
          </legend>
          <ScopePicker
            value={filters.unit}
            onChange={(unit) => setFilters({ unit })}
            label={tScope("area")}
            includeFacilities
          />
          <label className="muted">
            {t("filters.type")}{" "}
            <select
              value={filters.type ?? ""}
              onChange={(event) => setFilters({ type: alarmTypeFilters.find((type) => type === event.target.value) })}
            >
              <option value="">{t("filters.anyType")}</option>
              {alarmTypeFilters.map((type) => (
                <option key={type} value={type}>
                  {t(`typeNames.${type}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="muted">
            {t("filters.age")}{" "}
            <select
              value={filters.age ?? ""}
              onChange={(event) => setFilters({ age: alarmAgeFilters.find((age) => age === event.target.value) })}
            >
              <option value="">{t("filters.anyAge")}</option>
              {alarmAgeFilters.map((age) => (
                <option key={age} value={age}>
                  {t(`ageNames.${age}`)}
                </option>
              ))}
            </select>
          </label>
          <label className="muted">
            {t("filters.show")}{" "}
            <select
              value={filters.status}
              onChange={(event) =>
                setFilters({ status: alarmStatusFilters.find((status) => status === event.target.value) ?? "live" })
              }
            >
              {alarmStatusFilters.map((status) => (
                <option key={status} value={status}>
                  {t(`filters.status.${status}`)}
                </option>
              ))}
            </select>
          </label>
        </fieldset>
      </div>
      <div className="card" aria-busy={list.isFetching}>
        {list.error ? (
          <p className="error" role="alert">
            {errorMessage(list.error)}
          </p>
        ) : !list.data ? (
          <p className="muted">{t("loading")}</p>
        ) : items.length === 0 ? (
          <p className="muted" data-testid="no-alarms">
            {t("inbox.noneMatching")}
          </p>
        ) : (
          <>
            <p className="muted" data-testid="alarm-count">
              {t("inbox.shown", { count: items.length })}
            </p>
            <ul className="alarms">
              {items.map((alarm) => (
                <AlarmItem key={alarm.id} alarm={alarm} />
              ))}
            </ul>
            {list.hasNextPage ? (
              <button type="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
                {t("inbox.more")}
              </button>
            ) : null}
          </>
        )}
      </div>
    </section>
  );
}
