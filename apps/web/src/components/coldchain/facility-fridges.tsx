"use client";

import { useQuery } from "@tanstack/react-query";
import { useTranslations } from "next-intl";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import { EarlyWarningNote } from "./early-warning-note";
import { TemperatureChart } from "./temperature-chart";
import { useNow } from "./use-now";

/** The facility's fridges, each with its latest reading and temperature chart. */
export function FacilityFridges({ facilityId }: { facilityId: number }) {
  const t = useTranslations("facility");
  const tCold = useTranslations("coldchain");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const fridges = useQuery(trpc.coldchain.listFridges.queryOptions({ orgUnitId: facilityId }));
  const now = useNow(30_000);
  return (
    <section className="card" aria-labelledby="facility-fridges">
      <h2 id="facility-fridges">{t("fridges.title")}</h2>
      {fridges.error ? (
        <p className="error" role="alert">
          {errorMessage(fridges.error)}
        </p>
      ) : !fridges.data ? (
        <p className="muted">{t("loading")}</p>
      ) : fridges.data.items.length === 0 ? (
        <p className="muted">{t("fridges.none")}</p>
      ) : (
        fridges.data.items.map((fridge) => (
          <article key={fridge.equipmentId} aria-labelledby={`fridge-${fridge.equipmentId}`} data-testid="fridge">
            <h3 id={`fridge-${fridge.equipmentId}`}>
              {fridge.name}
              {fridge.model ? <span className="muted"> · {fridge.model}</span> : null}
            </h3>
            <p>
              <span className={`temp ${fridge.temperatureState}`}>
                {fridge.latest ? format.temperature(fridge.latest.tempC) : tCold("noData")}
              </span>{" "}
              <span className="muted">
                {tCold(`temperatureState.${fridge.temperatureState}`)}
                {fridge.deviceId
                  ? ` · ${t("fridges.sensor", { deviceId: fridge.deviceId })}`
                  : ` · ${tCold("noSensor")}`}
                {fridge.stale && fridge.latest ? ` · ${t("fridges.silent")}` : ""}
              </span>
            </p>
            {fridge.earlyWarning ? <EarlyWarningNote warning={fridge.earlyWarning} now={now} /> : null}
            <TemperatureChart fridgeId={fridge.equipmentId} initialRange="24h" />
          </article>
        ))
      )}
    </section>
  );
}
