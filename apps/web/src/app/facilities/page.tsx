import type { Metadata } from "next";
import { Suspense } from "react";
import { ConsolePage } from "~/components/layout/console-page";
import { FacilityTableFromUrl } from "~/components/orgs/facility-table";
import { pageMetadata } from "~/i18n/metadata";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("facilities");
}

export default function FacilitiesPage() {
  return (
    <ConsolePage>
      <Suspense>
        <FacilityTableFromUrl />
      </Suspense>
    </ConsolePage>
  );
}
