"use client";

import type { RouterInputs, RouterOutputs } from "@rantai/api";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { type FormEvent, useId, useState } from "react";
import { TableScroll } from "~/components/layout/table-scroll";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import styles from "./distribution.module.css";
import { DistributionNav } from "./distribution-nav";
import { expiryDay, parseDoses, useActionKey } from "./use-action-key";

type ProposalInput = RouterInputs["distribution"]["proposePushAllocation"];
type Proposal = RouterOutputs["distribution"]["proposePushAllocation"];

/**
 * Push distribution: one item to many of the facilities the user's store supplies at once. The
 * server proposes lots for all of them together (never the same doses twice); the user edits
 * them and creates one draft per facility in a single step, all or none.
 */
export function PushAllocation() {
  const t = useTranslations("distribution");
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const itemFieldId = useId();
  const me = useQuery(trpc.auth.me.queryOptions());
  const tree = useQuery(trpc.orgs.tree.queryOptions({ levels: 1 }));
  const items = useQuery(trpc.stock.listItems.queryOptions({ limit: 100 }));
  const [itemId, setItemId] = useState<number | null>(null);
  const [doses, setDoses] = useState<Map<number, string>>(new Map());
  const [input, setInput] = useState<ProposalInput | null>(null);
  const [empty, setEmpty] = useState(false);
  const proposal = useQuery(
    trpc.distribution.proposePushAllocation.queryOptions(input ?? { shipments: [] }, {
      enabled: input !== null,
      staleTime: Number.POSITIVE_INFINITY,
    }),
  );

  const loadError = me.error ?? tree.error ?? items.error;
  const facilities = tree.data?.children ?? [];
  const propose = (event: FormEvent) => {
    event.preventDefault();
    if (itemId === null || !me.data) return;
    const shipments = facilities
      .map((facility) => ({ receiverOrgUnitId: facility.id, doses: parseDoses(doses.get(facility.id) ?? "") }))
      .filter((planned) => planned.doses > 0)
      .map((planned) => ({ receiverOrgUnitId: planned.receiverOrgUnitId, lines: [{ itemId, doses: planned.doses }] }));
    setEmpty(shipments.length === 0);
    setInput(shipments.length === 0 ? null : { senderOrgUnitId: me.data.orgUnitId, shipments });
  };

  return (
    <section aria-labelledby="allocate-heading">
      <div className="page-heading">
        <h1 id="allocate-heading">{t("allocate.heading")}</h1>
        <p className="muted">{t("allocate.hint")}</p>
      </div>
      <DistributionNav current="allocate" />
      {loadError ? (
        <p className="error" role="alert">
          {errorMessage(loadError)}
        </p>
      ) : !me.data || !tree.data || !items.data ? (
        <p className="muted">{t("loading")}</p>
      ) : !me.data.rights.includes("distribution.write") ? (
        <p className="muted">{t("readOnly")}</p>
      ) : facilities.length === 0 ? (
        <p className="muted">{t("allocate.noFacilities")}</p>
      ) : (
        <form className="card" onSubmit={propose}>
          <div className={styles.field} style={{ maxWidth: 420 }}>
            <label htmlFor={itemFieldId}>{t("allocate.item")}</label>
            <select
              id={itemFieldId}
              value={itemId ?? ""}
              required
              onChange={(event) => {
                setItemId(event.target.value === "" ? null : Number(event.target.value));
                setInput(null);
              }}
            >
              <option value="">{t("allocate.chooseItem")}</option>
              {items.data.items.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </select>
          </div>
          <h2>{t("allocate.facilities")}</h2>
          <ul className={styles.facilities}>
            {facilities.map((facility) => (
              <li key={facility.id}>
                <label>
                  <span>{facility.name}</span>
                  <input
                    className={styles.doses}
                    inputMode="numeric"
                    placeholder="0"
                    aria-label={t("allocate.dosesFor", { facility: facility.name })}
                    value={doses.get(facility.id) ?? ""}
                    onChange={(event) => {
                      setDoses(new Map(doses).set(facility.id, event.target.value));
                      setInput(null);
                    }}
                  />
                </label>
              </li>
            ))}
          </ul>
          {empty ? (
            <p className="error" role="alert">
              {t("allocate.none")}
            </p>
          ) : null}
          <div className={styles.actions}>
            <button type="submit" className={styles.primary} disabled={proposal.isFetching}>
              {proposal.isFetching ? t("allocate.proposing") : t("allocate.propose")}
            </button>
          </div>
        </form>
      )}
      {proposal.error ? (
        <p className="error" role="alert">
          {errorMessage(proposal.error)}
        </p>
      ) : null}
      {input && proposal.data && me.data ? (
        <ProposedShipments
          key={JSON.stringify(input)}
          senderOrgUnitId={me.data.orgUnitId}
          proposal={proposal.data}
          facilityName={(id) => facilities.find((facility) => facility.id === id)?.name ?? ""}
          itemName={items.data?.items.find((item) => item.id === itemId)?.name ?? ""}
        />
      ) : null}
    </section>
  );
}

function ProposedShipments({
  senderOrgUnitId,
  proposal,
  facilityName,
  itemName,
}: {
  senderOrgUnitId: number;
  proposal: Proposal;
  facilityName: (id: number) => string;
  itemName: string;
}) {
  const t = useTranslations("distribution");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const allocateKey = useActionKey();
  const keyOf = (receiverId: number, batchId: number) => `${receiverId}:${batchId}`;
  const [doses, setDoses] = useState<Map<string, string>>(
    () =>
      new Map(
        proposal.shipments.flatMap((planned) =>
          planned.lines.map((line) => [keyOf(planned.receiverOrgUnitId, line.batchId), String(line.doses)] as const),
        ),
      ),
  );
  const allocate = useMutation(
    trpc.distribution.allocate.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.distribution.pathKey() }),
    }),
  );
  const shipments = proposal.shipments
    .map((planned) => ({
      receiverOrgUnitId: planned.receiverOrgUnitId,
      lines: planned.lines
        .map((line) => ({
          batchId: line.batchId,
          doses: parseDoses(doses.get(keyOf(planned.receiverOrgUnitId, line.batchId)) ?? ""),
        }))
        .filter((line) => line.doses > 0),
    }))
    .filter((planned) => planned.lines.length > 0);

  if (allocate.data) {
    return (
      <div className="card" role="status" data-testid="allocation-created">
        <p>{t("allocate.created", { count: allocate.data.shipments.length })}</p>
        <ul>
          {allocate.data.shipments.map((created) => (
            <li key={created.shipmentId}>
              <Link href={`/distribution/shipments/${created.shipmentId}`}>
                {t("shipment.heading", {
                  number: created.shipmentId,
                  facility: facilityName(created.receiverOrgUnitId),
                })}
              </Link>{" "}
              <span className="muted">({format.count(created.doses)})</span>
            </li>
          ))}
        </ul>
      </div>
    );
  }
  return (
    <div className="card">
      <h2>{t("plan.heading")}</h2>
      <p className="muted">{t("plan.hint")}</p>
      <TableScroll>
        <table data-testid="push-plan">
          <thead>
            <tr>
              <th scope="col">{t("shipments.columns.to")}</th>
              <th scope="col">{t("plan.columns.lot")}</th>
              <th scope="col">{t("plan.columns.expiry")}</th>
              <th scope="col">{t("plan.columns.vvm")}</th>
              <th scope="col">{t("plan.columns.doses")}</th>
            </tr>
          </thead>
          <tbody>
            {proposal.shipments.flatMap((planned) => [
              ...planned.lines.map((line) => (
                <tr key={keyOf(planned.receiverOrgUnitId, line.batchId)}>
                  <td>{facilityName(planned.receiverOrgUnitId)}</td>
                  <td>{line.lotNumber}</td>
                  <td>{format.date(expiryDay(line.expiryDate))}</td>
                  <td>{line.vvmStage}</td>
                  <td>
                    <input
                      className={styles.doses}
                      inputMode="numeric"
                      aria-label={t("plan.dosesLabel", {
                        lot: `${line.lotNumber} · ${facilityName(planned.receiverOrgUnitId)}`,
                      })}
                      value={doses.get(keyOf(planned.receiverOrgUnitId, line.batchId)) ?? ""}
                      onChange={(event) =>
                        setDoses(new Map(doses).set(keyOf(planned.receiverOrgUnitId, line.batchId), event.target.value))
                      }
                    />
                  </td>
                </tr>
              )),
              ...planned.shortfalls.map((short) => (
                <tr key={`${planned.receiverOrgUnitId}:short:${short.itemId}`}>
                  <td>{facilityName(planned.receiverOrgUnitId)}</td>
                  <td colSpan={4} className="stale">
                    {t("plan.short", {
                      item: itemName,
                      missing: format.count(short.requestedDoses - short.allocatedDoses),
                    })}
                  </td>
                </tr>
              )),
            ])}
          </tbody>
        </table>
      </TableScroll>
      {allocate.error ? (
        <p className="error" role="alert">
          {errorMessage(allocate.error)}
        </p>
      ) : null}
      <div className={styles.actions}>
        <button
          type="button"
          className={styles.primary}
          disabled={allocate.isPending || shipments.length === 0}
          onClick={() => allocate.mutate({ idempotencyKey: allocateKey.key, senderOrgUnitId, shipments })}
        >
          {allocate.isPending ? t("plan.creating") : t("allocate.create", { count: shipments.length })}
        </button>
      </div>
    </div>
  );
}
