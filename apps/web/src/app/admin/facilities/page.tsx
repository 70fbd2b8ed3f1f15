import type { Metadata } from "next";
import { AdminNav } from "~/components/layout/admin-nav";
import { ConsolePage, requireConsoleActor } from "~/components/layout/console-page";
import { FacilityAdmin } from "~/components/orgs/facility-admin";
import { pageMetadata } from "~/i18n/metadata";
import { adminRightsOf } from "~/server/admin-rights";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("administration");
}

export default async function AdminFacilitiesPage() {
  const actor = await requireConsoleActor();
  return (
    <ConsolePage>
      <AdminNav />
      <FacilityAdmin canManage={adminRightsOf(actor).manageFacilities} />
    </ConsolePage>
  );
}
