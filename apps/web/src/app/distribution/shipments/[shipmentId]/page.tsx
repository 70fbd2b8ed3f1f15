import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { parseRouteId } from "~/components/distribution/route-id";
import { ShipmentDetail } from "~/components/distribution/shipment-detail";
import { ConsolePage } from "~/components/layout/console-page";
import { pageMetadata } from "~/i18n/metadata";

export function generateMetadata(): Promise<Metadata> {
  return pageMetadata("distribution");
}

export default async function ShipmentPage({ params }: { params: Promise<{ shipmentId: string }> }) {
  const shipmentId = parseRouteId((await params).shipmentId);
  if (shipmentId === null) notFound();
  return (
    <ConsolePage>
      <ShipmentDetail shipmentId={shipmentId} />
    </ConsolePage>
  );
}
