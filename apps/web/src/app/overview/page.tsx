import type { Metadata } from "next";
import { Suspense } from "react";
import { ConsolePage } from "~/components/layout/console-page";
import { OverviewBoard } from "~/components/orgs/overview-board";
import { pageMetadata } from "~/i18n/metadata";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("overview");
}

export default function OverviewPage() {
  return (
    <ConsolePage>
      <Suspense>
        <OverviewBoard />
      </Suspense>
    </ConsolePage>
  );
}
