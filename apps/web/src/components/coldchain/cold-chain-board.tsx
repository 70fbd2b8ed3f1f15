"use client";

import type { RouterOutputs } from "@rantai/api";
import { useQuery } from "@tanstack/react-query";
import { useSearchParams } from "next/navigation";
import { useTranslations } from "next-intl";
import { useState } from "react";
import { ScopePicker } from "~/components/layout/scope-picker";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import { AlarmPanel } from "./alarm-panel";
import { EarlyWarningNote } from "./early-warning-note";
import { useNow } from "./use-now";

type Fridge = RouterOutputs["coldchain"]["listFridges"]["items"][number];
type Facility = RouterOutputs["orgs"]["listFacilities"]["items"][number];

/** How often the board asks for fresh temperatures; ingest commits within ~50 ms of a reading. */
const refreshMs = 5_000;

export function ColdChainBoard() {
  const t = useTranslations("coldchain");
  const tScope = useTranslations("scope");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const searchParams = useSearchParams();
  // A link may name a unit (`/cold-chain?unit=9`): the board starts on it.
  const [linkedUnit] = useState(() => unitOf(searchParams.get("unit")));
  const [orgUnitId, setOrgUnitId] = useState<number | undefined>(linkedUnit);
  const now = useNow(5_000);
  const facilities = useQuery(trpc.orgs.listFacilities.queryOptions({ orgUnitId }));
  const fridges = useQuery(trpc.coldchain.listFridges.queryOptions({ orgUnitId }, { refetchInterval: refreshMs }));

  const error = facilities.error ?? fridges.error;
  if (error)
    return (
      <p className="error" role="alert">
        {errorMessage(error)}
      </p>
    );
  if (!facilities.data || !fridges.data) return <p className="muted">{t("loading")}</p>;

  const byFacility = groupByFacility(facilities.data.items, fridges.data.items);
  const all = fridges.data.items;
  const count = (state: Fridge["temperatureState"]) => all.filter((fridge) => fridge.temperatureState === state).length;

  return (
    <section aria-label={t("title")}>
      <div className="card" style={{ display: "flex", justifyContent: "space-between", alignItems: "center", gap: 16 }}>
        <div>
          <h2>{t("title")}</h2>
          <span className="muted">
            {t("updated", { age: format.age(new Date(fridges.dataUpdatedAt), now), seconds: refreshMs / 1000 })}
          </span>
        </div>
        <ScopePicker
          value={orgUnitId}
          onChange={setOrgUnitId}
          label={tScope("area")}
          // Regions only, unless a link named a unit, which may be a facility (the overview's alarms of one).
          includeFacilities={linkedUnit !== undefined}
        />
      </div>
      <div className="summary">
        <Tile label={t("tiles.facilities")} value={facilities.data.items.length} testId="facility-count" />
        <Tile label={t("tiles.fridges")} value={all.length} />
        <Tile label={t("tiles.inRange")} value={count("ok")} />
        <Tile label={t("tiles.tooWarm")} value={count("warm")} />
        <Tile label={t("tiles.tooCold")} value={count("cold")} />
        <Tile label={t("tiles.silent")} value={all.filter((fridge) => fridge.stale).length} />
      </div>
      <AlarmPanel orgUnitId={orgUnitId} />
      {facilities.data.nextCursor || fridges.data.nextCursor ? <p className="muted">{t("firstPageOnly")}</p> : null}
      <div className="card">
        <table>
          <thead>
            <tr>
              <th>{t("columns.facility")}</th>
              <th>{t("columns.fridge")}</th>
              <th>{t("columns.temperature")}</th>
              <th>{t("columns.lastReading")}</th>
              <th>{t("columns.sensor")}</th>
            </tr>
          </thead>
          <tbody>
            {byFacility.map(({ facility, fridges: facilityFridges }) =>
              facilityFridges.length === 0 ? (
                <tr key={`f${facility.id}`} data-testid="facility-row">
                  <td>{facility.name}</td>
                  <td className="muted" colSpan={4}>
                    {t("noEquipment")}
                  </td>
                </tr>
              ) : (
                facilityFridges.map((fridge, index) => (
                  <FridgeRow
                    key={fridge.equipmentId}
                    facility={index === 0 ? facility.name : ""}
                    fridge={fridge}
                    now={now}
                  />
                ))
              ),
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function FridgeRow({ facility, fridge, now }: { facility: string; fridge: Fridge; now: Date }) {
  const t = useTranslations("coldchain");
  const format = useConsoleFormat();
  const battery = fridge.latest?.batteryPct;
  return (
    <tr data-testid="fridge-row" data-device-id={fridge.deviceId ?? ""}>
      <td>{facility}</td>
      <td>
        {fridge.name}
        <div className="muted">{fridge.model}</div>
      </td>
      <td>
        <span
          className={`temp ${fridge.temperatureState}`}
          title={t(`temperatureState.${fridge.temperatureState}`)}
          data-testid="fridge-temperature"
        >
          {format.temperature(fridge.latest?.tempC)}
        </span>
        {fridge.earlyWarning ? <EarlyWarningNote warning={fridge.earlyWarning} now={now} /> : null}
      </td>
      <td className={fridge.stale ? "stale" : undefined}>
        {fridge.latest ? format.age(fridge.latest.ts, now) : t("noReading")}
        {fridge.stale && fridge.latest ? ` · ${t("noData")}` : ""}
      </td>
      <td className="muted">
        {fridge.deviceId ?? t("noSensor")}
        {battery !== null && battery !== undefined ? ` · ${t("battery", { percent: battery })}` : ""}
      </td>
    </tr>
  );
}

function Tile({ label, value, testId }: { label: string; value: number; testId?: string }) {
  const format = useConsoleFormat();
  return (
    <div className="tile">
      <strong data-testid={testId}>{format.count(value)}</strong>
      <span className="muted">{label}</span>
    </div>
  );
}

function groupByFacility(facilities: Facility[], fridges: Fridge[]) {
  const groups = new Map<number, { facility: { id: number; name: string }; fridges: Fridge[] }>();
  for (const facility of facilities) groups.set(facility.id, { facility, fridges: [] });
  for (const fridge of fridges) {
    const group = groups.get(fridge.facilityId) ?? {
      facility: { id: fridge.facilityId, name: fridge.facilityName },
      fridges: [],
    };
    group.fridges.push(fridge);
    groups.set(fridge.facilityId, group);
  }
  return [...groups.values()].sort((a, b) => a.facility.name.localeCompare(b.facility.name));
}

function unitOf(text: string | null): number | undefined {
  if (text === null || !/^\d{1,10}$/.test(text)) return undefined;
  return Number(text) > 0 ? Number(text) : undefined;
}
