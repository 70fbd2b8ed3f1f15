import { ConsolePage } from "~/components/layout/console-page";
import { StockSummaryTable } from "~/components/stock/stock-summary-table";

export default function StockPage() {
  return (
    <ConsolePage>
      <StockSummaryTable />
    </ConsolePage>
  );
}
