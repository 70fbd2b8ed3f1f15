"use client";

import type { RouterOutputs } from "@rantai/api";
import Link from "next/link";
import { useTranslations } from "next-intl";
import { FacilityAlarmHistory } from "~/components/coldchain/facility-alarm-history";
import { FacilityFridges } from "~/components/coldchain/facility-fridges";
import { ConsumptionTrend } from "~/components/stock/consumption-trend";
import { FacilityLedger } from "~/components/stock/facility-ledger";
import { FacilityStock } from "~/components/stock/facility-stock";
import { overviewHref } from "./facility-query";

export type Facility = RouterOutputs["orgs"]["facility"];

/** One facility: its fridges and their temperatures, stock by lot, movements, trend and alarm history. */
export function FacilityDetailPage({ facility }: { facility: Facility }) {
  const t = useTranslations("facility");
  const clock = { timeZone: facility.timeZone, timeZoneAbbreviation: facility.timeZoneAbbreviation };
  return (
    <section aria-labelledby="facility-heading">
      <div className="card page-heading">
        <div>
          <nav aria-label={t("whereLabel")} className="muted level-trail">
            {facility.province ? <Link href={overviewHref(facility.province.id)}>{facility.province.name}</Link> : null}
            {facility.province && facility.district ? " › " : ""}
            {facility.district ? <Link href={overviewHref(facility.district.id)}>{facility.district.name}</Link> : null}
          </nav>
          <h1 id="facility-heading">{facility.name}</h1>
          <p className="muted">{t("subtitle", { code: facility.code, zone: facility.timeZoneAbbreviation })}</p>
        </div>
        <Link href={overviewHref(facility.id)}>{t("overviewLink")}</Link>
      </div>
      <FacilityFridges facilityId={facility.id} />
      <FacilityStock facilityId={facility.id} />
      <ConsumptionTrend facilityId={facility.id} />
      <FacilityLedger facilityId={facility.id} clock={clock} />
      <FacilityAlarmHistory facilityId={facility.id} clock={clock} />
    </section>
  );
}
