import type { Metadata } from "next";
import { ConsolePage } from "~/components/layout/console-page";
import { StockSummaryTable } from "~/components/stock/stock-summary-table";
import { pageMetadata } from "~/i18n/metadata";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("stock");
}

export default function StockPage() {
  return (
    <ConsolePage>
      <StockSummaryTable />
    </ConsolePage>
  );
}
