import type { Metadata } from "next";
import { Suspense } from "react";
import { AlarmInbox } from "~/components/coldchain/alarm-inbox";
import { ConsolePage } from "~/components/layout/console-page";
import { pageMetadata } from "~/i18n/metadata";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("alarms");
}

export default function AlarmsPage() {
  return (
    <ConsolePage>
      <Suspense>
        <AlarmInbox />
      </Suspense>
    </ConsolePage>
  );
}
