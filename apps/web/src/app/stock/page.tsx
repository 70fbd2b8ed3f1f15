import type { Metadata } from "next";
import { getTranslations } from "next-intl/server";
import { ConsolePage } from "~/components/layout/console-page";
import { StockSummaryTable } from "~/components/stock/stock-summary-table";

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations("meta.pages"))("stock") };
}

export default function StockPage() {
  return (
    <ConsolePage>
      <StockSummaryTable />
    </ConsolePage>
  );
}
