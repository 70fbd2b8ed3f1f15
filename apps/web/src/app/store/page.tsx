import { rightsOf } from "@rantai/core/kernel";
import type { Metadata } from "next";
import { ConsolePage, requireConsoleActor } from "~/components/layout/console-page";
import { storeAccessOf } from "~/components/stock/store-access";
import { StoreBoard } from "~/components/stock/store-board";
import { pageMetadata } from "~/i18n/metadata";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("store");
}

export default async function StorePage() {
  const actor = await requireConsoleActor();
  return (
    <ConsolePage>
      <StoreBoard
        orgUnitId={actor.orgUnitId}
        orgUnitName={actor.orgUnitName}
        access={storeAccessOf(rightsOf(actor.role))}
      />
    </ConsolePage>
  );
}
