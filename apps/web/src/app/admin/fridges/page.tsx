import type { Metadata } from "next";
import { FridgeAdmin } from "~/components/coldchain/fridge-admin";
import { AdminNav } from "~/components/layout/admin-nav";
import { ConsolePage, requireConsoleActor } from "~/components/layout/console-page";
import { pageMetadata } from "~/i18n/metadata";
import { adminRightsOf } from "~/server/admin-rights";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("administration");
}

export default async function AdminFridgesPage() {
  const rights = adminRightsOf(await requireConsoleActor());
  return (
    <ConsolePage>
      <AdminNav />
      <FridgeAdmin canManageEquipment={rights.manageEquipment} canManageSensors={rights.manageSensors} />
    </ConsolePage>
  );
}
