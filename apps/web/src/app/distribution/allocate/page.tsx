import type { Metadata } from "next";
import { PushAllocation } from "~/components/distribution/push-allocation";
import { ConsolePage } from "~/components/layout/console-page";
import { pageMetadata } from "~/i18n/metadata";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("distribution");
}

export default function PushAllocationPage() {
  return (
    <ConsolePage>
      <PushAllocation />
    </ConsolePage>
  );
}
