import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { RequestDetail } from "~/components/distribution/request-detail";
import { parseRouteId } from "~/components/distribution/route-id";
import { ConsolePage } from "~/components/layout/console-page";
import { pageMetadata } from "~/i18n/metadata";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("distribution");
}

export default async function RequestPage({ params }: { params: Promise<{ requestId: string }> }) {
  const requestId = parseRouteId((await params).requestId);
  if (requestId === null) notFound();
  return (
    <ConsolePage>
      <RequestDetail requestId={requestId} />
    </ConsolePage>
  );
}
