import type { Metadata } from "next";
import { notFound, redirect } from "next/navigation";
import { ConsolePage } from "~/components/layout/console-page";
import { FacilityDetailPage } from "~/components/orgs/facility-detail";
import { pageMetadata } from "~/i18n/metadata";
import { getSessionUserId } from "~/server/auth";
import { findFacilityForPage } from "~/server/facility";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("facility");
}

/** Ids are positive integers; anything else is not a facility. */
function parseFacilityId(text: string): number | null {
  if (!/^[1-9]\d{0,9}$/.test(text)) return null;
  const id = Number(text);
  return Number.isSafeInteger(id) && id <= 2_147_483_647 ? id : null;
}

export default async function FacilityPage({ params }: { params: Promise<{ id: string }> }) {
  if (!(await getSessionUserId())) redirect("/login");
  const facilityId = parseFacilityId((await params).id);
  // Out of scope and unknown alike: the not-found page, with nothing of the facility in it.
  const facility = facilityId === null ? null : await findFacilityForPage(facilityId);
  if (!facility) notFound();
  return (
    <ConsolePage>
      <FacilityDetailPage facility={facility} />
    </ConsolePage>
  );
}
