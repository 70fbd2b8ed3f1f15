"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useEffect, useMemo, useState } from "react";
import { TableScroll } from "~/components/layout/table-scroll";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import styles from "./distribution.module.css";
import { expiryDay, parseDoses } from "./use-action-key";

export interface ItemDemand {
  itemId: number;
  itemName: string;
  doses: number;
}

export type PlannedLine = { batchId: number; doses: number };

/**
 * Which of the sending store's lots to ship, editable: every usable lot of the items wanted,
 * pre-filled either with the server's proposal (VVM stage, then earliest expiry) or with the
 * lines of the draft being edited. The user changes any dose; 0 leaves a lot out.
 */
export function LotPlan({
  senderOrgUnitId,
  demands,
  initial,
  submitLabel,
  pendingLabel,
  pending,
  error,
  onSubmit,
}: {
  senderOrgUnitId: number;
  demands: readonly ItemDemand[];
  /** The lines of a draft being edited; without them, the server's proposal is the start. */
  initial?: readonly PlannedLine[];
  submitLabel: string;
  pendingLabel: string;
  pending: boolean;
  error: unknown;
  onSubmit: (lines: PlannedLine[]) => void;
}) {
  const t = useTranslations("distribution");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const itemIds = useMemo(() => new Set(demands.map((demand) => demand.itemId)), [demands]);
  const lots = useQuery(trpc.stock.listBalances.queryOptions({ orgUnitId: senderOrgUnitId, limit: 100 }));
  const proposal = useQuery(
    trpc.distribution.proposeAllocation.queryOptions(
      {
        senderOrgUnitId,
        lines: demands.map((demand) => ({ itemId: demand.itemId, doses: demand.doses })),
      },
      { enabled: initial === undefined && demands.length > 0, staleTime: Number.POSITIVE_INFINITY },
    ),
  );
  const [doses, setDoses] = useState<Map<number, string> | null>(null);
  const [empty, setEmpty] = useState(false);
  const start = initial ?? proposal.data?.lines;
  useEffect(() => {
    if (doses === null && start) setDoses(new Map(start.map((line) => [line.batchId, String(line.doses)])));
  }, [doses, start]);

  const loadError = lots.error ?? proposal.error;
  if (loadError)
    return (
      <p className="error" role="alert">
        {errorMessage(loadError)}
      </p>
    );
  if (!lots.data || !doses) return <p className="muted">{t("loading")}</p>;
  const planned = new Set(doses.keys());
  const rows = lots.data.items.filter((lot) => itemIds.has(lot.itemId) && (lot.usable || planned.has(lot.batchId)));
  const nameOf = (itemId: number) => demands.find((demand) => demand.itemId === itemId)?.itemName ?? "";

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const lines = [...doses.entries()]
      .map(([batchId, text]) => ({ batchId, doses: parseDoses(text) }))
      .filter((line) => line.doses > 0);
    setEmpty(lines.length === 0);
    if (lines.length > 0) onSubmit(lines);
  };

  return (
    <form onSubmit={submit} aria-label={t("plan.heading")}>
      <h3>{t("plan.heading")}</h3>
      <p className="muted">{t("plan.hint")}</p>
      {(proposal.data?.shortfalls ?? []).map((short) => (
        <p key={short.itemId} className="stale" role="status">
          {t("plan.short", {
            item: nameOf(short.itemId),
            missing: format.count(short.requestedDoses - short.allocatedDoses),
          })}
        </p>
      ))}
      {rows.length === 0 ? (
        <p className="muted">{t("plan.noLots")}</p>
      ) : (
        <TableScroll>
          <table data-testid="lot-plan">
            <thead>
              <tr>
                <th scope="col">{t("plan.columns.item")}</th>
                <th scope="col">{t("plan.columns.lot")}</th>
                <th scope="col">{t("plan.columns.expiry")}</th>
                <th scope="col">{t("plan.columns.vvm")}</th>
                <th scope="col" className="number">
                  {t("plan.columns.available")}
                </th>
                <th scope="col">{t("plan.columns.doses")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((lot) => (
                <tr key={lot.batchId} data-testid="plan-row">
                  <td>{lot.itemName}</td>
                  <td>
                    {lot.lotNumber}
                    {lot.unusableReason ? (
                      <div className="stale">{t("plan.unusable", { reason: lot.unusableReason })}</div>
                    ) : null}
                  </td>
                  <td>{format.date(expiryDay(lot.expiryDate))}</td>
                  <td>{lot.vvmStage}</td>
                  <td className="number">{format.count(lot.quantity)}</td>
                  <td>
                    <input
                      className={styles.doses}
                      inputMode="numeric"
                      aria-label={t("plan.dosesLabel", { lot: lot.lotNumber })}
                      title={t("request.vialsHint", { count: lot.dosesPerVial })}
                      value={doses.get(lot.batchId) ?? ""}
                      placeholder="0"
                      onChange={(event) => {
                        const next = new Map(doses);
                        next.set(lot.batchId, event.target.value);
                        setDoses(next);
                      }}
                    />
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {empty ? (
        <p className="error" role="alert">
          {t("plan.nothing")}
        </p>
      ) : null}
      {error ? (
        <p className="error" role="alert">
          {errorMessage(error)}
        </p>
      ) : null}
      <div className={styles.actions}>
        <button type="submit" className={styles.primary} disabled={pending || rows.length === 0}>
          {pending ? pendingLabel : submitLabel}
        </button>
      </div>
    </form>
  );
}
