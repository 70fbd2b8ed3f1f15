import type { Metadata } from "next";
import { ConsolePage } from "~/components/layout/console-page";
import { StockLevelsEditor } from "~/components/stock/stock-levels-editor";
import { pageMetadata } from "~/i18n/metadata";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("administration");
}

export default function StockLevelsPage() {
  return (
    <ConsolePage>
      <StockLevelsEditor />
    </ConsolePage>
  );
}
