"use client";

import type { RouterOutputs } from "@rantai/api";
import { formatAge, formatTemperature, temperatureStateLabels } from "@rantai/ui/format";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ScopePicker } from "~/components/layout/scope-picker";
import { useTRPC } from "~/trpc/react";
import { AlarmPanel } from "./alarm-panel";
import { useNow } from "./use-now";

type Fridge = RouterOutputs["coldchain"]["listFridges"]["items"][number];
type Facility = RouterOutputs["orgs"]["listFacilities"]["items"][number];

/** How often the board asks for fresh temperatures; ingest commits within ~50 ms of a reading. */
const refreshMs = 5_000;

export function ColdChainBoard() {
  const trpc = useTRPC();
  const [orgUnitId, setOrgUnitId] = useState<number | undefined>(undefined);
  const now = useNow(5_000);
  const facilities = useQuery(trpc.orgs.listFacilities.queryOptions({ orgUnitId }));
  const fridges = useQuery(trpc.coldchain.listFridges.queryOptions({ orgUnitId }, { refetchInterval: refreshMs }));

  const error = facilities.error ?? fridges.error;
  if (error)
    return (
      <p className="error" role="alert">
        {error.message}
      </p>
    );
  if (!facilities.data || !fridges.data) return <p className="muted">Loading fridges…</p>;

  const byFacility = groupByFacility(facilities.data.items, fridges.data.items);
  const all = fridges.data.items;
  const count = (state: Fridge["temperatureState"]) => all.filter((fridge) => fridge.temperatureState === state).length;

  return (
    <section aria-label="Cold chain">
      <div className="card" style={{ display: "flex", justifyContent: "space-between", alignItems: "center", gap: 16 }}>
        <div>
          <h2>Fridge temperatures</h2>
          <span className="muted">
            Updated {formatAge(new Date(fridges.dataUpdatedAt), now)} · refreshes every {refreshMs / 1000} s
          </span>
        </div>
        <ScopePicker value={orgUnitId} onChange={setOrgUnitId} />
      </div>
      <div className="summary">
        <Tile label="Facilities" value={facilities.data.items.length} testId="facility-count" />
        <Tile label="Fridges" value={all.length} />
        <Tile label="In range" value={count("ok")} />
        <Tile label="Too warm" value={count("warm")} />
        <Tile label="Too cold" value={count("cold")} />
        <Tile label="Silent > 1 h" value={all.filter((fridge) => fridge.stale).length} />
      </div>
      <AlarmPanel orgUnitId={orgUnitId} />
      {facilities.data.nextCursor || fridges.data.nextCursor ? (
        <p className="muted">Showing the first 100; choose a district to see all of its facilities.</p>
      ) : null}
      <div className="card">
        <table>
          <thead>
            <tr>
              <th>Facility</th>
              <th>Fridge</th>
              <th>Temperature</th>
              <th>Last reading</th>
              <th>Sensor</th>
            </tr>
          </thead>
          <tbody>
            {byFacility.map(({ facility, fridges: facilityFridges }) =>
              facilityFridges.length === 0 ? (
                <tr key={`f${facility.id}`} data-testid="facility-row">
                  <td>{facility.name}</td>
                  <td className="muted" colSpan={4}>
                    No cold-chain equipment registered
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
          title={temperatureStateLabels[fridge.temperatureState]}
          data-testid="fridge-temperature"
        >
          {formatTemperature(fridge.latest?.tempC)}
        </span>
      </td>
      <td className={fridge.stale ? "stale" : undefined}>
        {formatAge(fridge.latest?.ts, now)}
        {fridge.stale && fridge.latest ? " · no data" : ""}
      </td>
      <td className="muted">
        {fridge.deviceId ?? "no sensor"}
        {fridge.latest?.batteryPct != null ? ` · battery ${fridge.latest.batteryPct}%` : ""}
      </td>
    </tr>
  );
}

function Tile({ label, value, testId }: { label: string; value: number; testId?: string }) {
  return (
    <div className="tile">
      <strong data-testid={testId}>{value}</strong>
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
