"use client";

import type { RouterOutputs } from "@rantai/api";
import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { ScopePicker } from "~/components/layout/scope-picker";
import { useTRPC } from "~/trpc/react";

type ItemSummary = RouterOutputs["stock"]["facilitySummary"]["items"][number];

const statusLabels: Record<ItemSummary["status"], string> = {
  stock_out: "Stock-out",
  below_min: "Below minimum",
  normal: "Normal",
  above_max: "Above maximum",
  unknown: "No consumption yet",
};

const statusTone: Record<ItemSummary["status"], "ok" | "warm" | "cold" | "unknown"> = {
  stock_out: "warm",
  below_min: "warm",
  normal: "ok",
  above_max: "cold",
  unknown: "unknown",
};

const doses = (value: number) => value.toLocaleString("en");

/** A store's stock by item: on hand, months of stock against min/max, what to order, what expires. */
export function StockSummaryTable() {
  const trpc = useTRPC();
  const [orgUnitId, setOrgUnitId] = useState<number | undefined>(undefined);
  const summary = useQuery(trpc.stock.facilitySummary.queryOptions({ orgUnitId }));

  return (
    <section aria-label="Stock">
      <div className="card" style={{ display: "flex", justifyContent: "space-between", alignItems: "center", gap: 16 }}>
        <div>
          <h2>Vaccine stock</h2>
          <span className="muted">
            Doses on hand, months of stock (MOS = usable stock ÷ average monthly consumption)
          </span>
        </div>
        <ScopePicker value={orgUnitId} onChange={setOrgUnitId} label="Store" includeFacilities />
      </div>
      {summary.error ? (
        <p className="error" role="alert">
          {summary.error.message}
        </p>
      ) : !summary.data ? (
        <p className="muted">Loading stock…</p>
      ) : summary.data.items.length === 0 ? (
        <p className="muted">This store has no stock recorded yet.</p>
      ) : (
        <div className="card">
          <table>
            <thead>
              <tr>
                <th>Item</th>
                <th>On hand (doses)</th>
                <th>Unusable</th>
                <th>AMC</th>
                <th>MOS (min–max)</th>
                <th>Status</th>
                <th>Suggested order</th>
                <th>Expiring ≤ 90 days</th>
              </tr>
            </thead>
            <tbody>
              {summary.data.items.map((item) => (
                <tr key={item.itemId} data-testid="stock-row">
                  <td>
                    {item.itemName}
                    <div className="muted">
                      {item.itemCode} · {item.dosesPerVial} doses/vial
                      {item.freezeSensitive ? " · freeze-sensitive" : ""}
                    </div>
                  </td>
                  <td>{doses(item.stockOnHand)}</td>
                  <td className={item.unusableStock > 0 ? "stale" : "muted"}>{doses(item.unusableStock)}</td>
                  <td>{doses(item.averageMonthlyConsumption)}</td>
                  <td>
                    {item.monthsOfStock ?? "—"}{" "}
                    <span className="muted">
                      ({item.minMonths}–{item.maxMonths})
                    </span>
                  </td>
                  <td>
                    <span className={`temp ${statusTone[item.status]}`} style={{ minWidth: 0, fontSize: 13 }}>
                      {statusLabels[item.status]}
                    </span>
                  </td>
                  <td>{item.suggestedOrderDoses > 0 ? doses(item.suggestedOrderDoses) : "—"}</td>
                  <td>{item.expiring.within90Days > 0 ? doses(item.expiring.within90Days) : "—"}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
