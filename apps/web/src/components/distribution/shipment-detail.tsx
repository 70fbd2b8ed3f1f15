"use client";

import type { RouterOutputs } from "@rantai/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState } from "react";
import { TableScroll } from "~/components/layout/table-scroll";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import styles from "./distribution.module.css";
import { LotPlan } from "./lot-plan";
import { ShipmentPhotos } from "./shipment-photos";
import { expiryDay, useActionKey } from "./use-action-key";

type Shipment = RouterOutputs["distribution"]["getShipment"];

/** One shipment: its lots; as a draft, edit, dispatch or cancel it; once received, what arrived. */
export function ShipmentDetail({ shipmentId }: { shipmentId: number }) {
  const t = useTranslations("distribution");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const shipment = useQuery(trpc.distribution.getShipment.queryOptions({ shipmentId }));
  const [editing, setEditing] = useState(false);
  if (shipment.error)
    return (
      <p className="error" role="alert">
        {errorMessage(shipment.error)}
      </p>
    );
  if (!shipment.data) return <p className="muted">{t("loading")}</p>;
  const data = shipment.data;
  const canChange = data.status === "draft" && data.maySend;
  return (
    <section aria-labelledby="shipment-heading">
      <p>
        <Link
          href={`/distribution?view=${data.status === "draft" ? "drafts" : data.status === "dispatched" ? "transit" : "received"}`}
        >
          {t("shipment.back")}
        </Link>
      </p>
      <div className="page-heading">
        <h1 id="shipment-heading">{t("shipment.heading", { number: data.id, facility: data.receiver.name })}</h1>
        <p className="muted">
          <span
            data-testid="shipment-status"
            className={`badge ${data.status === "received" ? "ok" : data.status === "dispatched" ? "cold" : "unknown"}`}
          >
            {t(`shipmentStatus.${data.status}`)}
          </span>{" "}
          {t("shipment.from", { store: data.sender.name })}
          {data.requestId ? (
            <>
              {" · "}
              <Link href={`/distribution/requests/${data.requestId}`}>
                {t("shipment.forRequest", { number: data.requestId })}
              </Link>
            </>
          ) : null}
        </p>
        <p className="muted">
          {t("shipment.created", { time: format.dateTime(data.createdAt) })}
          {data.dispatchedAt ? ` · ${t("shipment.dispatched", { time: format.dateTime(data.dispatchedAt) })}` : ""}
          {data.receivedAt ? ` · ${t("shipment.received", { time: format.dateTime(data.receivedAt) })}` : ""}
        </p>
        {!data.maySend && !data.mayReceive ? <p className="muted">{t("readOnly")}</p> : null}
      </div>
      <div className="card">
        {editing && canChange ? (
          <EditLines shipment={data} onDone={() => setEditing(false)} />
        ) : (
          <ShipmentLines shipment={data} />
        )}
        {canChange ? <DraftActions shipment={data} editing={editing} onEdit={setEditing} /> : null}
      </div>
      {data.receipt ? <Receipt shipment={data} /> : null}
      {data.mayViewPhotos && data.status !== "draft" ? <ShipmentPhotos shipment={data} /> : null}
    </section>
  );
}

function ShipmentLines({ shipment }: { shipment: Shipment }) {
  const t = useTranslations("distribution");
  const format = useConsoleFormat();
  return (
    <TableScroll>
      <table data-testid="shipment-lines">
        <thead>
          <tr>
            <th scope="col">{t("shipment.columns.item")}</th>
            <th scope="col">{t("shipment.columns.lot")}</th>
            <th scope="col">{t("shipment.columns.expiry")}</th>
            <th scope="col">{t("shipment.columns.vvm")}</th>
            <th scope="col" className="number">
              {t("shipment.columns.doses")}
            </th>
          </tr>
        </thead>
        <tbody>
          {shipment.lines.map((line) => (
            <tr key={line.id} data-testid="shipment-line">
              <td>{line.itemName}</td>
              <td>{line.lotNumber}</td>
              <td>{format.date(expiryDay(line.expiryDate))}</td>
              <td>{line.vvmStage}</td>
              <td className="number">{format.count(line.doses)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </TableScroll>
  );
}

function EditLines({ shipment, onDone }: { shipment: Shipment; onDone: () => void }) {
  const t = useTranslations("distribution");
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const editKey = useActionKey();
  const edit = useMutation(
    trpc.distribution.editDraftShipment.mutationOptions({
      onSuccess: async () => {
        editKey.renew();
        await queryClient.invalidateQueries({ queryKey: trpc.distribution.pathKey() });
        onDone();
      },
    }),
  );
  const demands = new Map<number, { itemId: number; itemName: string; doses: number }>();
  for (const line of shipment.lines) {
    const demand = demands.get(line.itemId) ?? { itemId: line.itemId, itemName: line.itemName, doses: 0 };
    demands.set(line.itemId, { ...demand, doses: demand.doses + line.doses });
  }
  return (
    <LotPlan
      senderOrgUnitId={shipment.sender.id}
      demands={[...demands.values()]}
      initial={shipment.lines.map((line) => ({ batchId: line.batchId, doses: line.doses }))}
      submitLabel={t("plan.save")}
      pendingLabel={t("plan.saving")}
      pending={edit.isPending}
      error={edit.error}
      onSubmit={(lines) => edit.mutate({ idempotencyKey: editKey.key, shipmentId: shipment.id, lines })}
    />
  );
}

/** Dispatch (stock leaves the store) or cancel a draft; each press of a button is one keyed change. */
function DraftActions({
  shipment,
  editing,
  onEdit,
}: {
  shipment: Shipment;
  editing: boolean;
  onEdit: (editing: boolean) => void;
}) {
  const t = useTranslations("distribution");
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const reasonId = useId();
  const [reason, setReason] = useState("");
  const dispatchKey = useActionKey();
  const cancelKey = useActionKey();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.distribution.pathKey() });
  const dispatch = useMutation(trpc.distribution.dispatchShipment.mutationOptions({ onSuccess: refresh }));
  const cancel = useMutation(trpc.distribution.cancelShipment.mutationOptions({ onSuccess: refresh }));
  const busy = dispatch.isPending || cancel.isPending || dispatch.isSuccess || cancel.isSuccess;
  const onCancel = (event: FormEvent) => {
    event.preventDefault();
    cancel.mutate({ idempotencyKey: cancelKey.key, shipmentId: shipment.id, reason: reason.trim() });
  };
  return (
    <>
      {dispatch.error || cancel.error ? (
        <p className="error" role="alert">
          {errorMessage(dispatch.error ?? cancel.error)}
        </p>
      ) : null}
      <div className={styles.actions}>
        {editing ? null : (
          <button
            type="button"
            className={styles.primary}
            disabled={busy}
            onClick={() => dispatch.mutate({ idempotencyKey: dispatchKey.key, shipmentId: shipment.id })}
          >
            {dispatch.isPending ? t("shipment.dispatching") : t("shipment.dispatch")}
          </button>
        )}
        <button type="button" disabled={busy} onClick={() => onEdit(!editing)}>
          {editing ? t("shipment.cancelEdit") : t("shipment.edit")}
        </button>
      </div>
      {editing ? null : (
        <form onSubmit={onCancel} className={styles.actions}>
          <div className={styles.field}>
            <label htmlFor={reasonId}>{t("shipment.cancelReason")}</label>
            <input
              id={reasonId}
              required
              maxLength={500}
              value={reason}
              onChange={(event) => setReason(event.target.value)}
            />
          </div>
          <button type="submit" disabled={busy || reason.trim() === ""}>
            {cancel.isPending ? t("shipment.cancelling") : t("shipment.cancel")}
          </button>
        </form>
      )}
    </>
  );
}

/** What the receiver reported: every line's count and any discrepancy (short, damaged, wrong lot). */
function Receipt({ shipment }: { shipment: Shipment }) {
  const t = useTranslations("distribution");
  const format = useConsoleFormat();
  const receipt = shipment.receipt;
  if (!receipt) return null;
  const lotOf = (shipmentLineId: number) => shipment.lines.find((line) => line.id === shipmentLineId)?.lotNumber ?? "—";
  const discrepancies = receipt.lines.filter((line) => line.discrepancy !== "none");
  return (
    <div className="card" data-testid="shipment-receipt">
      <h2>{t("shipment.receipt")}</h2>
      <p className="muted">
        {t("shipment.received", { time: format.dateTime(receipt.receivedAt) })}
        {receipt.note ? ` · ${t("shipment.receiptNote", { note: receipt.note })}` : ""}
      </p>
      {discrepancies.length === 0 ? <p>{t("shipment.noDiscrepancy")}</p> : null}
      <TableScroll>
        <table>
          <thead>
            <tr>
              <th scope="col">{t("shipment.receiptColumns.lot")}</th>
              <th scope="col" className="number">
                {t("shipment.receiptColumns.received")}
              </th>
              <th scope="col">{t("shipment.receiptColumns.discrepancy")}</th>
              <th scope="col" className="number">
                {t("shipment.receiptColumns.quantity")}
              </th>
              <th scope="col">{t("shipment.receiptColumns.note")}</th>
            </tr>
          </thead>
          <tbody>
            {receipt.lines.map((line) => (
              <tr key={line.id} data-testid="receipt-line">
                <td>{lotOf(line.shipmentLineId)}</td>
                <td className="number">{format.count(line.receivedQuantity)}</td>
                <td>
                  <span className={`badge ${line.discrepancy === "none" ? "ok" : "warm"}`}>
                    {t(`discrepancy.${line.discrepancy}`)}
                  </span>
                </td>
                <td className="number">{line.discrepancy === "none" ? "—" : format.count(line.discrepancyQuantity)}</td>
                <td>{line.note ?? ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </TableScroll>
    </div>
  );
}
