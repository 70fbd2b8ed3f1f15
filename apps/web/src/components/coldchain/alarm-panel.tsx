"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { useTRPC } from "~/trpc/react";
import { type Alarm, alarmStatusLabels, alarmTypeLabels, formatDuration, formatExtreme } from "./alarm-labels";

const refreshMs = 10_000;

/** Live alarms under the chosen unit: what happened, since when, and what stock it threatens. */
export function AlarmPanel({ orgUnitId }: { orgUnitId: number | undefined }) {
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
        {alarms.error.message}
      </p>
    );
  const items = alarms.data?.items ?? [];
  return (
    <section className="card" aria-label="Alarms">
      <div style={{ display: "flex", justifyContent: "space-between", alignItems: "center" }}>
        <h2>{showAll ? "All alarms" : "Live alarms"}</h2>
        <label className="muted">
          <input type="checkbox" checked={showAll} onChange={(event) => setShowAll(event.target.checked)} /> include
          resolved
        </label>
      </div>
      {!alarms.data ? (
        <p className="muted">Loading alarms…</p>
      ) : items.length === 0 ? (
        <p className="muted" data-testid="no-alarms">
          No {showAll ? "" : "live "}alarms. Every monitored fridge is within its limits.
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

function AlarmItem({ alarm }: { alarm: Alarm }) {
  const [open, setOpen] = useState(false);
  return (
    <li className={`alarm ${alarm.severity}`} data-testid="alarm" data-alarm-type={alarm.type}>
      <button type="button" className="alarm-summary" onClick={() => setOpen(!open)} aria-expanded={open}>
        <strong>{alarmTypeLabels[alarm.type]}</strong>
        <span>
          {alarm.facility.name} · {alarm.equipment.name}
        </span>
        <span className="muted">
          since {alarm.startedAt.toLocaleString()} · {formatDuration(alarm.durationSeconds)} · {formatExtreme(alarm)}
          {alarm.detectedLate ? " · reported late" : ""}
        </span>
        <span className="muted">
          {alarmStatusLabels[alarm.status]}
          {alarm.needsAcknowledgement ? " · needs acknowledgement" : ""}
        </span>
      </button>
      {open ? <AlarmDetails alarmId={alarm.id} /> : null}
    </li>
  );
}

function AlarmDetails({ alarmId }: { alarmId: number }) {
  const trpc = useTRPC();
  const detail = useQuery(trpc.coldchain.alarms.get.queryOptions({ alarmId }));
  if (detail.error)
    return (
      <p className="error" role="alert">
        {detail.error.message}
      </p>
    );
  if (!detail.data) return <p className="muted">Loading…</p>;
  const { stockAtRisk, acknowledgement, needsAcknowledgement } = detail.data;
  return (
    <div className="alarm-details">
      <h3>Stock at risk at this facility</h3>
      {stockAtRisk.items.length === 0 ? (
        <p className="muted">No stock this alarm threatens.</p>
      ) : (
        <ul data-testid="stock-at-risk">
          {stockAtRisk.items.map((item) => (
            <li key={item.itemId}>
              <strong>{item.name}</strong> — {item.doses.toLocaleString("en")} doses
              {item.freezeSensitive ? " · freeze-sensitive" : ""}
              {item.heatSensitive ? " · heat-sensitive" : ""}
              <span className="muted"> ({item.batches.map((batch) => batch.lotNumber).join(", ")})</span>
            </li>
          ))}
        </ul>
      )}
      {acknowledgement ? (
        <p className="muted">
          Acknowledged by {acknowledgement.by.name ?? "a user"} at {acknowledgement.at.toLocaleString()}: “
          {acknowledgement.comment}”
        </p>
      ) : needsAcknowledgement ? (
        <AcknowledgeForm alarmId={alarmId} />
      ) : null}
    </div>
  );
}

function AcknowledgeForm({ alarmId }: { alarmId: number }) {
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
      <label htmlFor={`ack-${alarmId}`}>What did you check or do? (required)</label>
      <textarea
        id={`ack-${alarmId}`}
        value={comment}
        onChange={(event) => setComment(event.target.value)}
        rows={2}
        maxLength={1000}
        placeholder="e.g. Door was left open after the session; closed it, temperature recovering."
      />
      {acknowledge.error ? (
        <p className="error" role="alert">
          {acknowledge.error.message}
        </p>
      ) : null}
      <button type="submit" disabled={acknowledge.isPending || comment.trim() === ""}>
        Acknowledge
      </button>
    </form>
  );
}
