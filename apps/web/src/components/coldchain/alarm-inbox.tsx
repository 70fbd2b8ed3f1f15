"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { useSubscription } from "@trpc/tanstack-react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { type ReactNode, useState } from "react";
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
import type { Alarm } from "./alarm-labels";
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
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const router = useRouter();
  const query = useSearchParams().toString();
  // The address changes only once the navigation to it completes (a server round trip), so a
  // second choice made before then must build on the first, not on the address: the latest
  // choice is kept here until the address changes (to it, or by a link elsewhere, which wins).
  const [chosen, setChosen] = useState<AlarmFilters | null>(null);
  const [chosenAt, setChosenAt] = useState(query);
  if (chosenAt !== query) {
    setChosenAt(query);
    setChosen(null);
  }
  const filters = (chosenAt === query ? chosen : null) ?? parseAlarmFilters(new URLSearchParams(query));
  const setFilters = (change: Partial<AlarmFilters>) => {
    const next = { ...filters, ...change };
    setChosen(next);
    router.replace(alarmsHref(next), { scroll: false });
  };

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
            reserveSpace
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
      {/* A new set of filters starts again from the first page. */}
      <AlarmPages key={alarmsHref(filters)} filters={filters} />
    </section>
  );
}

/**
 * The filtered alarms, newest first, a page of 50 at a time: each page is its own query (keyset
 * cursor), so a notice refetches every page shown and "show more" adds the next.
 */
function AlarmPages({ filters }: { filters: AlarmFilters }) {
  const t = useTranslations("alarms");
  const [cursors, setCursors] = useState<(number | undefined)[]>([undefined]);
  return (
    <div className="card">
      {cursors.map((cursor, index) => (
        <AlarmPage key={cursor ?? "first"} filters={filters} cursor={cursor}>
          {(nextCursor) =>
            index === cursors.length - 1 && nextCursor !== null ? (
              <button type="button" onClick={() => setCursors([...cursors, nextCursor])}>
                {t("inbox.more")}
              </button>
            ) : null
          }
        </AlarmPage>
      ))}
    </div>
  );
}

function AlarmPage({
  filters,
  cursor,
  children,
}: {
  filters: AlarmFilters;
  cursor: number | undefined;
  /** What follows the page (the "show more" button), given the next page's cursor. */
  children: (nextCursor: number | null) => ReactNode;
}) {
  const t = useTranslations("alarms");
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const page = useQuery(
    trpc.coldchain.alarms.list.queryOptions({
      orgUnitId: filters.unit,
      status: filters.status,
      type: filters.type,
      age: filters.age,
      limit: pageSize,
      cursor,
    }),
  );
  const items: Alarm[] = page.data?.items ?? [];
  if (page.error)
    return (
      <p className="error" role="alert">
        {errorMessage(page.error)}
      </p>
    );
  if (!page.data) return <p className="muted">{t("loading")}</p>;
  if (items.length === 0 && cursor === undefined)
    return (
      <p className="muted" data-testid="no-alarms">
        {t("inbox.noneMatching")}
      </p>
    );
  return (
    <>
      <ul className="alarms">
        {items.map((alarm) => (
          <AlarmItem key={alarm.id} alarm={alarm} />
        ))}
      </ul>
      {children(page.data.nextCursor ?? null)}
    </>
  );
}
