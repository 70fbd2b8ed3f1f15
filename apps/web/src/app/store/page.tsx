import type { Metadata } from "next";
import { ConsolePage } from "~/components/layout/console-page";
import { StoreBoard } from "~/components/stock/store-board";
import { pageMetadata } from "~/i18n/metadata";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("store");
}

export default function StorePage() {
  return (
    <ConsolePage>
      <StoreBoard />
    </ConsolePage>
  );
}
