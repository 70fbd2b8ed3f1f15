import type { Metadata } from "next";
import { ConsolePage } from "~/components/layout/console-page";
import { ReportsBoard } from "~/components/reports/reports-board";
import { pageMetadata } from "~/i18n/metadata";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("reports");
}

export default function ReportsPage() {
  return (
    <ConsolePage>
      <ReportsBoard />
    </ConsolePage>
  );
}
