import type { Metadata } from "next";
import { UserAdmin } from "~/components/auth/user-admin";
import { AdminNav } from "~/components/layout/admin-nav";
import { ConsolePage, requireConsoleActor } from "~/components/layout/console-page";
import { pageMetadata } from "~/i18n/metadata";
import { adminRightsOf } from "~/server/admin-rights";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("administration");
}

export default async function AdminUsersPage() {
  const actor = await requireConsoleActor();
  return (
    <ConsolePage>
      <AdminNav />
      <UserAdmin rights={adminRightsOf(actor)} />
    </ConsolePage>
  );
}
