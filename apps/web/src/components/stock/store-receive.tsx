"use client";

import type { RouterInputs, RouterOutputs } from "@rantai/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useState } from "react";
import { DataTable } from "~/components/layout/list-card";
import { ChangeNotice, QueryState } from "~/components/layout/query-state";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useTRPC } from "~/trpc/react";
import { DiscardReasonSelect, QuantityInput } from "./store-movements";
import { storeQueries } from "./store-queries";
import { useIdempotencyKey } from "./use-idempotency-key";

type ShipmentDetail = RouterOutputs["distribution"]["getShipment"];
type ReceivedLine = NonNullable<RouterInputs["distribution"]["receiveShipment"]["lines"]>[number];
type DiscardReason = NonNullable<ReceivedLine["damageReason"]>;

/** Shipments dispatched to this store and not yet received; each opens a receipt form. */
export function IncomingShipments({ orgUnitId, canReceive }: { orgUnitId: number; canReceive: boolean }) {
  const t = useTranslations("store");
  const format = useConsoleFormat();
  const trpc = useTRPC();
  const [open, setOpen] = useState<number | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const incoming = useQuery(storeQueries(trpc, orgUnitId).incoming);
  return (
    <section className="card" aria-labelledby="store-incoming-heading">
      <h2 id="store-incoming-heading">{t("incoming.heading")}</h2>
      {done ? (
        <p role="status" data-testid="receive-done">
          {done}
        </p>
      ) : null}
      <QueryState
        query={incoming}
        loading={t("loading")}
        empty={t("incoming.empty")}
        isEmpty={(data) => data.items.length === 0}
      >
        {(data) => (
          <ul className="incoming-list" style={{ listStyle: "none", padding: 0, margin: 0 }}>
            {data.items.map((shipment) => (
              <li key={shipment.id} data-testid="incoming-shipment" style={{ padding: "8px 0" }}>
                <div style={{ display: "flex", flexWrap: "wrap", gap: 12, alignItems: "center" }}>
                  <strong>#{shipment.id}</strong>
                  <span>{t("incoming.from", { sender: shipment.senderName })}</span>
                  {shipment.dispatchedAt ? (
                    <span className="muted">
                      {t("incoming.dispatched", { date: format.dateTime(shipment.dispatchedAt) })}
                    </span>
                  ) : null}
                  {canReceive ? (
                    <button
                      type="button"
                      aria-expanded={open === shipment.id}
                      onClick={() => {
                        setDone(null);
                        setOpen(open === shipment.id ? null : shipment.id);
                      }}
                    >
                      {open === shipment.id ? t("incoming.close") : t("incoming.receive")}
                    </button>
                  ) : null}
                </div>
                {open === shipment.id ? (
                  <ReceiveForm
                    shipmentId={shipment.id}
                    onReceived={(message) => {
                      setOpen(null);
                      setDone(message);
                    }}
                  />
                ) : null}
              </li>
            ))}
          </ul>
        )}
      </QueryState>
    </section>
  );
}

interface LineReport {
  receivedDoses: number;
  damagedDoses: number;
  damageReason: DiscardReason;
}

/** What arrived per batch: good doses, damaged doses with a reason; the rest is reported short. */
function ReceiveForm({ shipmentId, onReceived }: { shipmentId: number; onReceived: (message: string) => void }) {
  const t = useTranslations("store");
  const trpc = useTRPC();
  const detail = useQuery(trpc.distribution.getShipment.queryOptions({ shipmentId }));
  return (
    <QueryState query={detail} loading={t("loading")}>
      {(shipment) => <ReceiveLines shipment={shipment} onReceived={onReceived} />}
    </QueryState>
  );
}

function ReceiveLines({ shipment, onReceived }: { shipment: ShipmentDetail; onReceived: (message: string) => void }) {
  const t = useTranslations("store");
  const format = useConsoleFormat();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [idempotencyKey, renewKey] = useIdempotencyKey();
  const [note, setNote] = useState("");
  const [reports, setReports] = useState<Record<number, LineReport>>(() =>
    Object.fromEntries(
      shipment.lines.map((line) => [line.id, { receivedDoses: line.doses, damagedDoses: 0, damageReason: "broken" }]),
    ),
  );
  const receive = useMutation(
    trpc.distribution.receiveShipment.mutationOptions({
      onSuccess: async () => {
        renewKey();
        const received = shipment.lines.reduce((sum, line) => sum + (reports[line.id]?.receivedDoses ?? 0), 0);
        const damaged = shipment.lines.reduce((sum, line) => sum + (reports[line.id]?.damagedDoses ?? 0), 0);
        const shipped = shipment.lines.reduce((sum, line) => sum + line.doses, 0);
        const short = Math.max(0, shipped - received - damaged);
        const discrepancy =
          short > 0 || damaged > 0
            ? ` ${t("incoming.discrepancy", { short: format.count(short), damaged: format.count(damaged) })}`
            : "";
        onReceived(`${t("incoming.done", { received: format.count(received) })}${discrepancy}`);
        await Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.distribution.pathKey() }),
          queryClient.invalidateQueries({ queryKey: trpc.stock.pathKey() }),
        ]);
      },
    }),
  );
  const update = (lineId: number, change: Partial<LineReport>) =>
    setReports((current) => {
      const previous = current[lineId];
      return previous ? { ...current, [lineId]: { ...previous, ...change } } : current;
    });
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    const lines = shipment.lines.map((line): ReceivedLine => {
      const report = reports[line.id] ?? { receivedDoses: line.doses, damagedDoses: 0, damageReason: "broken" };
      return {
        shipmentLineId: line.id,
        receivedDoses: report.receivedDoses,
        damagedDoses: report.damagedDoses,
        ...(report.damagedDoses > 0 ? { damageReason: report.damageReason } : {}),
      };
    });
    const asShipped = lines.every(
      (line, index) => line.receivedDoses === shipment.lines[index]?.doses && line.damagedDoses === 0,
    );
    receive.mutate({
      idempotencyKey,
      shipmentId: shipment.id,
      ...(note.trim() ? { note: note.trim() } : {}),
      ...(asShipped ? {} : { lines }),
    });
  }
  return (
    <form onSubmit={onSubmit} aria-label={t("incoming.confirm")} style={{ marginTop: 8 }}>
      <DataTable
        columns={[
          t("stock.item"),
          t("stock.lot"),
          { label: t("incoming.shipped"), numeric: true },
          t("incoming.received"),
          t("incoming.damaged"),
          t("incoming.damageReason"),
        ]}
      >
        {shipment.lines.map((line) => {
          const report = reports[line.id];
          const label = `${line.itemName} ${line.lotNumber}`;
          return (
            <tr key={line.id} data-testid="receive-line">
              <th scope="row">{line.itemName}</th>
              <td>{line.lotNumber}</td>
              <td className="number">{format.count(line.doses)}</td>
              <td>
                <QuantityInput
                  max={line.doses}
                  label={`${t("incoming.received")}: ${label}`}
                  value={report?.receivedDoses ?? 0}
                  onChange={(receivedDoses) => update(line.id, { receivedDoses })}
                />
              </td>
              <td>
                <QuantityInput
                  max={line.doses}
                  label={`${t("incoming.damaged")}: ${label}`}
                  value={report?.damagedDoses ?? 0}
                  onChange={(damagedDoses) => update(line.id, { damagedDoses })}
                />
              </td>
              <td>
                <DiscardReasonSelect
                  label={`${t("incoming.damageReason")}: ${label}`}
                  value={report?.damageReason ?? "broken"}
                  disabled={(report?.damagedDoses ?? 0) === 0}
                  onChange={(damageReason) => update(line.id, { damageReason })}
                />
              </td>
            </tr>
          );
        })}
      </DataTable>
      <label className="control-label">
        {t("incoming.note")}
        <textarea value={note} maxLength={500} rows={2} onChange={(event) => setNote(event.target.value)} />
      </label>
      <ChangeNotice error={receive.error} />
      <button type="submit" disabled={receive.isPending}>
        {t("incoming.confirm")}
      </button>
    </form>
  );
}
