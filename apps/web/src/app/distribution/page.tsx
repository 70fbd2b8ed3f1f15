import type { Metadata } from "next";
import { Suspense } from "react";
import { DistributionBoard } from "~/components/distribution/distribution-board";
import { ConsolePage } from "~/components/layout/console-page";
import { pageMetadata } from "~/i18n/metadata";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("distribution");
}

export default function DistributionPage() {
  return (
    <ConsolePage>
      <Suspense>
        <DistributionBoard />
      </Suspense>
    </ConsolePage>
  );
}
