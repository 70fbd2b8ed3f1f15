"use client";

import type { RouterInputs } from "@rantai/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState } from "react";
import { DataTable } from "~/components/layout/list-card";
import { ChangeNotice } from "~/components/layout/query-state";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useTRPC } from "~/trpc/react";
import { type StoreLot, storeQueries } from "./store-queries";
import { useIdempotencyKey } from "./use-idempotency-key";

type DiscardReason = RouterInputs["stock"]["recordDiscard"]["lines"][number]["reason"];
type AdjustmentReason = RouterInputs["stock"]["recordAdjustment"]["reason"];

/** The reasons the API accepts, in the order a storekeeper meets them (the API validates them). */
const discardReasons = [
  "expired",
  "vvm_discard_point",
  "frozen",
  "heat_exposed",
  "broken",
  "open_vial_policy",
  "other",
] as const satisfies readonly DiscardReason[];
const adjustmentReasons = [
  "found",
  "lost",
  "stolen",
  "data_correction",
  "other",
] as const satisfies readonly AdjustmentReason[];

type Tab = "discard" | "adjust" | "count";
const tabs: readonly Tab[] = ["discard", "adjust", "count"];

/** Discard, adjust, count: the store's own corrections, each posted once (one key per submission). */
export function StoreMovements({ orgUnitId }: { orgUnitId: number }) {
  const t = useTranslations("store");
  const trpc = useTRPC();
  const [tab, setTab] = useState<Tab>("discard");
  const lots = useQuery(storeQueries(trpc, orgUnitId).lots);
  const panelId = useId();
  return (
    <section className="card" aria-labelledby="store-actions-heading">
      <h2 id="store-actions-heading">{t("actions.heading")}</h2>
      <div role="tablist" aria-label={t("actions.heading")} className="chips">
        {tabs.map((name) => (
          <button
            key={name}
            type="button"
            role="tab"
            id={`${panelId}-${name}`}
            aria-selected={tab === name}
            aria-controls={`${panelId}-panel`}
            className="chip"
            onClick={() => setTab(name)}
          >
            {t(`actions.${name}`)}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`${panelId}-panel`} aria-labelledby={`${panelId}-${tab}`} style={{ marginTop: 12 }}>
        {!lots.data ? (
          <p className="muted">{t("loading")}</p>
        ) : lots.data.items.length === 0 ? (
          <p className="muted">{t("actions.noLots")}</p>
        ) : tab === "discard" ? (
          <DiscardForm orgUnitId={orgUnitId} lots={lots.data.items} />
        ) : tab === "adjust" ? (
          <AdjustForm orgUnitId={orgUnitId} lots={lots.data.items} />
        ) : (
          <CountForm orgUnitId={orgUnitId} lots={lots.data.items} />
        )}
      </div>
    </section>
  );
}

/** After a movement: the stock, the ledger and the summary all change. */
function useStockRefresh() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.stock.pathKey() });
}

export function DiscardReasonSelect({
  label,
  value,
  onChange,
  disabled = false,
}: {
  label: string;
  value: DiscardReason;
  onChange: (reason: DiscardReason) => void;
  disabled?: boolean;
}) {
  const t = useTranslations("store");
  return (
    <select
      aria-label={label}
      value={value}
      disabled={disabled}
      onChange={(event) => {
        const chosen = discardReasons.find((reason) => reason === event.target.value);
        if (chosen) onChange(chosen);
      }}
    >
      {discardReasons.map((reason) => (
        <option key={reason} value={reason}>
          {t(`discardReasons.${reason}`)}
        </option>
      ))}
    </select>
  );
}

function LotSelect({
  lots,
  value,
  onChange,
}: {
  lots: readonly StoreLot[];
  value: number | null;
  onChange: (batchId: number) => void;
}) {
  const t = useTranslations("store");
  const format = useConsoleFormat();
  return (
    <label className="control-label">
      {t("actions.lot")}
      <select required value={value ?? ""} onChange={(event) => onChange(Number(event.target.value))}>
        <option value="" disabled>
          {t("actions.chooseLot")}
        </option>
        {lots.map((lot) => (
          <option key={lot.batchId} value={lot.batchId}>
            {lot.itemName} · {lot.lotNumber} · {format.count(lot.quantity)}
          </option>
        ))}
      </select>
    </label>
  );
}

/** A change's error, or what it did (a movement posted). */
function Outcome({ error, success }: { error: unknown; success: string | null }) {
  return <ChangeNotice error={error} done={success} testId="movement-done" />;
}

/**
 * A number of doses or vials typed into a table row: whole, from `min`, at most `max`, in
 * `step`s, named for a screen reader by what the row holds.
 */
export function QuantityInput({
  label,
  value,
  onChange,
  min = 0,
  max,
  step,
}: {
  label: string;
  value: number;
  onChange: (value: number) => void;
  min?: number;
  max?: number;
  step?: number;
}) {
  return (
    <input
      type="number"
      min={min}
      max={max}
      step={step}
      required
      aria-label={label}
      value={value}
      onChange={(event) => onChange(Number(event.target.value))}
    />
  );
}

function DiscardForm({ orgUnitId, lots }: { orgUnitId: number; lots: readonly StoreLot[] }) {
  const t = useTranslations("store");
  const trpc = useTRPC();
  const refresh = useStockRefresh();
  const [idempotencyKey, renewKey] = useIdempotencyKey();
  const [batchId, setBatchId] = useState<number | null>(null);
  const [vials, setVials] = useState(1);
  const [reason, setReason] = useState<DiscardReason>("expired");
  const [note, setNote] = useState("");
  const [success, setSuccess] = useState<string | null>(null);
  const discard = useMutation(
    trpc.stock.recordDiscard.mutationOptions({
      onSuccess: async () => {
        renewKey();
        setSuccess(t("actions.discarded"));
        setNote("");
        await refresh();
      },
    }),
  );
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (batchId === null) return;
    setSuccess(null);
    discard.mutate({
      idempotencyKey,
      orgUnitId,
      lines: [{ batchId, vials, reason }],
      ...(note.trim() ? { note: note.trim() } : {}),
    });
  }
  return (
    <form onSubmit={onSubmit} className="table-controls" aria-label={t("actions.discard")}>
      <LotSelect lots={lots} value={batchId} onChange={setBatchId} />
      <label className="control-label">
        {t("actions.vials")}
        <input
          type="number"
          min={1}
          max={100000}
          required
          value={vials}
          onChange={(event) => setVials(Number(event.target.value))}
        />
      </label>
      <span className="control-label">
        {t("actions.reason")}
        <DiscardReasonSelect label={t("actions.reason")} value={reason} onChange={setReason} />
      </span>
      <label className="control-label">
        {reason === "other" ? t("actions.noteRequired") : t("actions.note")}
        <input
          type="text"
          maxLength={500}
          required={reason === "other"}
          value={note}
          onChange={(event) => setNote(event.target.value)}
        />
      </label>
      <button type="submit" disabled={discard.isPending}>
        {t("actions.submitDiscard")}
      </button>
      <Outcome error={discard.error} success={success} />
    </form>
  );
}

function AdjustForm({ orgUnitId, lots }: { orgUnitId: number; lots: readonly StoreLot[] }) {
  const t = useTranslations("store");
  const trpc = useTRPC();
  const refresh = useStockRefresh();
  const [idempotencyKey, renewKey] = useIdempotencyKey();
  const [batchId, setBatchId] = useState<number | null>(null);
  const [doses, setDoses] = useState(0);
  const [reason, setReason] = useState<AdjustmentReason>("data_correction");
  const [note, setNote] = useState("");
  const [success, setSuccess] = useState<string | null>(null);
  const adjust = useMutation(
    trpc.stock.recordAdjustment.mutationOptions({
      onSuccess: async () => {
        renewKey();
        setSuccess(t("actions.adjusted"));
        setNote("");
        await refresh();
      },
    }),
  );
  const dosesPerVial = lots.find((lot) => lot.batchId === batchId)?.dosesPerVial ?? 1;
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    if (batchId === null) return;
    setSuccess(null);
    adjust.mutate({ idempotencyKey, orgUnitId, batchId, doses, reason, note: note.trim() });
  }
  return (
    <form onSubmit={onSubmit} className="table-controls" aria-label={t("actions.adjust")}>
      <LotSelect lots={lots} value={batchId} onChange={setBatchId} />
      <label className="control-label">
        {t("actions.doses")}
        <input
          type="number"
          step={dosesPerVial}
          required
          value={doses}
          onChange={(event) => setDoses(Number(event.target.value))}
        />
      </label>
      <label className="control-label">
        {t("actions.reason")}
        <select
          value={reason}
          onChange={(event) => {
            const chosen = adjustmentReasons.find((candidate) => candidate === event.target.value);
            if (chosen) setReason(chosen);
          }}
        >
          {adjustmentReasons.map((candidate) => (
            <option key={candidate} value={candidate}>
              {t(`adjustmentReasons.${candidate}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="control-label">
        {t("actions.noteRequired")}
        <input type="text" maxLength={500} required value={note} onChange={(event) => setNote(event.target.value)} />
      </label>
      <button type="submit" disabled={adjust.isPending || doses === 0}>
        {t("actions.submitAdjust")}
      </button>
      <Outcome error={adjust.error} success={success} />
    </form>
  );
}

/** A physical count of every batch on record: the differences are posted, matching batches get an entry of 0. */
function CountForm({ orgUnitId, lots }: { orgUnitId: number; lots: readonly StoreLot[] }) {
  const t = useTranslations("store");
  const format = useConsoleFormat();
  const trpc = useTRPC();
  const refresh = useStockRefresh();
  const [idempotencyKey, renewKey] = useIdempotencyKey();
  const [counted, setCounted] = useState<Record<number, number>>(() =>
    Object.fromEntries(lots.map((lot) => [lot.batchId, lot.quantity])),
  );
  const [success, setSuccess] = useState<string | null>(null);
  const count = useMutation(
    trpc.stock.recordStockCount.mutationOptions({
      onSuccess: async (result) => {
        renewKey();
        const changed = result.lines.filter((line) => line.differenceDoses !== 0).length;
        setSuccess(t("actions.countPosted", { changed }));
        await refresh();
      },
    }),
  );
  function onSubmit(event: FormEvent) {
    event.preventDefault();
    setSuccess(null);
    count.mutate({
      idempotencyKey,
      orgUnitId,
      lines: lots.map((lot) => ({ batchId: lot.batchId, countedDoses: counted[lot.batchId] ?? lot.quantity })),
    });
  }
  return (
    <form onSubmit={onSubmit} aria-label={t("actions.count")}>
      <DataTable
        columns={[
          t("stock.item"),
          t("stock.lot"),
          { label: t("actions.onRecord"), numeric: true },
          t("actions.counted"),
          { label: t("actions.difference"), numeric: true },
        ]}
      >
        {lots.map((lot) => {
          const value = counted[lot.batchId] ?? lot.quantity;
          return (
            <tr key={lot.batchId} data-testid="count-line">
              <th scope="row">{lot.itemName}</th>
              <td>{lot.lotNumber}</td>
              <td className="number">{format.count(lot.quantity)}</td>
              <td>
                <QuantityInput
                  step={lot.dosesPerVial}
                  label={`${t("actions.counted")}: ${lot.itemName} ${lot.lotNumber}`}
                  value={value}
                  onChange={(doses) => setCounted((current) => ({ ...current, [lot.batchId]: doses }))}
                />
              </td>
              <td className="number">{value === lot.quantity ? "—" : format.count(value - lot.quantity)}</td>
            </tr>
          );
        })}
      </DataTable>
      <button type="submit" disabled={count.isPending}>
        {t("actions.submitCount")}
      </button>
      <Outcome error={count.error} success={success} />
    </form>
  );
}
