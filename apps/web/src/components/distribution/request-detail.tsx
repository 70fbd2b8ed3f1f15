"use client";

import type { RouterOutputs } from "@rantai/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState } from "react";
import { TableScroll } from "~/components/layout/table-scroll";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import styles from "./distribution.module.css";
import { type ItemDemand, LotPlan } from "./lot-plan";
import { parseDoses, useActionKey } from "./use-action-key";

type RequestDetailData = RouterOutputs["distribution"]["getRequest"];

/** One request: decide it beside the facility's stock now, then ship what was approved. */
export function RequestDetail({ requestId }: { requestId: number }) {
  const t = useTranslations("distribution");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const request = useQuery(trpc.distribution.getRequest.queryOptions({ requestId }));
  if (request.error)
    return (
      <p className="error" role="alert">
        {errorMessage(request.error)}
      </p>
    );
  if (!request.data) return <p className="muted">{t("loading")}</p>;
  const data = request.data;
  return (
    <section aria-labelledby="request-heading">
      <p>
        <Link href="/distribution">{t("request.back")}</Link>
      </p>
      <div className="page-heading">
        <h1 id="request-heading">{t("request.heading", { number: data.id, facility: data.requester.name })}</h1>
        <p className="muted">
          <span
            className={`badge ${data.status === "submitted" ? "warm" : data.status === "rejected" ? "unknown" : "ok"}`}
          >
            {t(`requestStatus.${data.status}`)}
          </span>{" "}
          {data.submittedAt ? t("request.submittedAt", { time: format.dateTime(data.submittedAt) }) : null}
        </p>
        {data.rejectionReason ? <p>{t("request.rejectedBecause", { reason: data.rejectionReason })}</p> : null}
        {!data.mayDecide ? <p className="muted">{t("readOnly")}</p> : null}
      </div>
      <Decision request={data} />
      <Fulfilment request={data} />
    </section>
  );
}

/** The lines beside the requester's stock as it is now; approve (quantities editable) or reject. */
function Decision({ request }: { request: RequestDetailData }) {
  const t = useTranslations("distribution");
  const tStock = useTranslations("stock");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const reasonId = useId();
  const deciding = request.status === "submitted" && request.mayDecide;
  const stock = useQuery(trpc.stock.facilitySummary.queryOptions({ orgUnitId: request.requester.id }));
  const [approved, setApproved] = useState<Map<number, string>>(
    () => new Map(request.lines.map((line) => [line.itemId, String(line.requestedDoses)])),
  );
  const [reason, setReason] = useState("");
  const approveKey = useActionKey();
  const rejectKey = useActionKey();
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.distribution.pathKey() });
  const approve = useMutation(trpc.distribution.approveRequest.mutationOptions({ onSuccess: refresh }));
  const reject = useMutation(trpc.distribution.rejectRequest.mutationOptions({ onSuccess: refresh }));
  const busy = approve.isPending || reject.isPending;

  const onApprove = () => {
    approve.mutate({
      idempotencyKey: approveKey.key,
      requestId: request.id,
      lines: request.lines.map((line) => ({
        itemId: line.itemId,
        approvedDoses: parseDoses(approved.get(line.itemId) ?? ""),
      })),
    });
  };
  const onReject = (event: FormEvent) => {
    event.preventDefault();
    reject.mutate({ idempotencyKey: rejectKey.key, requestId: request.id, reason: reason.trim() });
  };

  const figures = new Map((stock.data?.items ?? []).map((item) => [item.itemId, item]));
  return (
    <div className="card">
      <TableScroll>
        <table data-testid="request-lines">
          <thead>
            <tr>
              <th scope="col">{t("request.columns.item")}</th>
              <th scope="col" className="number">
                {t("request.columns.requested")}
              </th>
              <th scope="col" className="number">
                {t("request.columns.suggested")}
              </th>
              <th scope="col" className="number">
                {t("request.columns.onHand")}
              </th>
              <th scope="col">{t("request.columns.mos")}</th>
              <th scope="col" className="number">
                {t("request.columns.expiring")}
              </th>
              <th scope="col">{deciding ? t("request.columns.approve") : t("request.columns.approved")}</th>
            </tr>
          </thead>
          <tbody>
            {request.lines.map((line) => {
              const figure = figures.get(line.itemId);
              return (
                <tr key={line.itemId} data-testid="request-line">
                  <th scope="row">{line.itemName}</th>
                  <td className="number">{format.count(line.requestedDoses)}</td>
                  <td className="number">{format.count(line.suggestedDoses)}</td>
                  <td className="number">{figure ? format.count(figure.stockOnHand) : "—"}</td>
                  <td>
                    {figure?.monthsOfStock == null ? "—" : format.decimal(figure.monthsOfStock)}{" "}
                    {figure ? (
                      <span
                        className={`badge ${figure.status === "normal" ? "ok" : figure.status === "above_max" ? "cold" : figure.status === "unknown" ? "unknown" : "warm"}`}
                      >
                        {tStock(`status.${figure.status}`)}
                      </span>
                    ) : null}
                  </td>
                  <td className="number">
                    {figure && figure.expiring.within90Days > 0 ? format.count(figure.expiring.within90Days) : "—"}
                  </td>
                  <td>
                    {deciding ? (
                      <input
                        className={styles.doses}
                        inputMode="numeric"
                        aria-label={t("request.approveLabel", { item: line.itemName })}
                        title={t("request.vialsHint", { count: line.dosesPerVial })}
                        value={approved.get(line.itemId) ?? ""}
                        onChange={(event) => setApproved(new Map(approved).set(line.itemId, event.target.value))}
                      />
                    ) : line.approvedDoses === null ? (
                      "—"
                    ) : (
                      format.count(line.approvedDoses)
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </TableScroll>
      {stock.error ? <p className="muted">{errorMessage(stock.error)}</p> : null}
      {deciding ? (
        <>
          {approve.error || reject.error ? (
            <p className="error" role="alert">
              {errorMessage(approve.error ?? reject.error)}
            </p>
          ) : null}
          <div className={styles.actions}>
            <button type="button" className={styles.primary} disabled={busy} onClick={onApprove}>
              {approve.isPending ? t("request.approving") : t("request.approve")}
            </button>
          </div>
          <form onSubmit={onReject} className={styles.actions}>
            <div className={styles.field}>
              <label htmlFor={reasonId}>{t("request.rejectReason")}</label>
              <textarea
                id={reasonId}
                required
                maxLength={500}
                rows={2}
                value={reason}
                onChange={(event) => setReason(event.target.value)}
              />
            </div>
            <button type="submit" disabled={busy || reason.trim() === ""}>
              {reject.isPending ? t("request.rejecting") : t("request.reject")}
            </button>
          </form>
        </>
      ) : null}
    </div>
  );
}

/** Shipments already made for the request, and — while it is approved — a new one for what is left. */
function Fulfilment({ request }: { request: RequestDetailData }) {
  const t = useTranslations("distribution");
  const format = useConsoleFormat();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const createKey = useActionKey();
  const create = useMutation(
    trpc.distribution.createShipment.mutationOptions({
      onSuccess: async (created) => {
        await queryClient.invalidateQueries({ queryKey: trpc.distribution.pathKey() });
        router.push(`/distribution/shipments/${created.shipmentId}`);
      },
    }),
  );
  if (request.status !== "approved" && request.shipments.length === 0) return null;

  const shipments = new Map<number, { status: RequestDetailData["shipments"][number]["status"]; doses: number }>();
  for (const row of request.shipments) {
    const entry = shipments.get(row.id) ?? { status: row.status, doses: 0 };
    shipments.set(row.id, { ...entry, doses: entry.doses + row.doses });
  }
  const shipped = new Map<number, number>();
  for (const row of request.shipments) {
    if (row.status !== "cancelled") shipped.set(row.itemId, (shipped.get(row.itemId) ?? 0) + row.doses);
  }
  const demands: ItemDemand[] = request.lines
    .map((line) => ({
      itemId: line.itemId,
      itemName: line.itemName,
      doses: (line.approvedDoses ?? 0) - (shipped.get(line.itemId) ?? 0),
    }))
    .filter((demand) => demand.doses > 0);

  return (
    <div className="card">
      <h2>{t("request.shipments")}</h2>
      {shipments.size === 0 ? (
        <p className="muted">{t("request.noShipments")}</p>
      ) : (
        <ul>
          {[...shipments.entries()].map(([id, entry]) => (
            <li key={id}>
              <Link href={`/distribution/shipments/${id}`}>
                {t("request.shipmentLine", { number: id, status: t(`shipmentStatus.${entry.status}`) })}
              </Link>{" "}
              <span className="muted">({format.count(entry.doses)})</span>
            </li>
          ))}
        </ul>
      )}
      {request.status === "approved" && request.mayDecide && demands.length > 0 ? (
        <>
          <h2>{t("request.ship")}</h2>
          <ul className="muted">
            {demands.map((demand) => (
              <li key={demand.itemId}>
                {demand.itemName}: {t("request.approvedLeft", { doses: format.count(demand.doses) })}
              </li>
            ))}
          </ul>
          <LotPlan
            senderOrgUnitId={request.supplier.id}
            demands={demands}
            submitLabel={t("plan.create")}
            pendingLabel={t("plan.creating")}
            pending={create.isPending || create.isSuccess}
            error={create.error}
            onSubmit={(lines) =>
              create.mutate({
                idempotencyKey: createKey.key,
                senderOrgUnitId: request.supplier.id,
                receiverOrgUnitId: request.requester.id,
                requestId: request.id,
                lines,
              })
            }
          />
        </>
      ) : null}
    </div>
  );
}
