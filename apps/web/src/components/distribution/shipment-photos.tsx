"use client";

import type { RouterOutputs } from "@rantai/api";
import { useQuery } from "@tanstack/react-query";
import Image from "next/image";
import { useTranslations } from "next-intl";
import { useConsoleFormat } from "~/i18n/use-console-format";
import { useErrorMessage } from "~/i18n/use-error-message";
import { useTRPC } from "~/trpc/react";
import styles from "./distribution.module.css";

type Shipment = RouterOutputs["distribution"]["getShipment"];

/** Ask for fresh links this long before the current ones expire, so a thumbnail never breaks. */
const renewBeforeExpiryMs = 30_000;

/**
 * The photos the receiving puskesmas attached (the whole receipt or a damaged line), as
 * thumbnails through short-lived signed links; each opens full size. Shown to the receiving
 * side only (its store and the officers above it); the links are renewed before they expire.
 */
export function ShipmentPhotos({ shipment }: { shipment: Shipment }) {
  const t = useTranslations("distribution.photos");
  const format = useConsoleFormat();
  const errorMessage = useErrorMessage();
  const trpc = useTRPC();
  const photos = useQuery({
    ...trpc.distribution.listShipmentPhotos.queryOptions({ shipmentId: shipment.id }),
    refetchInterval: (query) => {
      const expiresAt = query.state.data?.expiresAt;
      return expiresAt ? Math.max(10_000, expiresAt.getTime() - Date.now() - renewBeforeExpiryMs) : false;
    },
  });
  const lotOf = (shipmentLineId: number | null) =>
    shipment.lines.find((line) => line.id === shipmentLineId)?.lotNumber ?? null;
  return (
    <section className="card" aria-labelledby="shipment-photos-heading" data-testid="shipment-photos">
      <h2 id="shipment-photos-heading">{t("title")}</h2>
      {photos.error ? (
        <p className="error" role="alert">
          {errorMessage(photos.error)}
        </p>
      ) : null}
      {photos.data?.photos.length === 0 ? <p className="muted">{t("empty")}</p> : null}
      <ul className={styles.photos}>
        {photos.data?.photos.map((photo) => {
          const lot = lotOf(photo.shipmentLineId);
          const caption = lot ? t("ofLot", { lot }) : t("wholeReceipt");
          return (
            <li key={photo.id} className={styles.photo} data-testid="shipment-photo">
              <a
                href={photo.download.url}
                target="_blank"
                rel="noopener noreferrer"
                aria-label={t("open", { number: photo.id })}
              >
                {/* A signed, expiring link: loaded as is, never through the image optimizer's cache. */}
                <Image src={photo.download.url} alt={caption} width={140} height={140} unoptimized />
              </a>
              <p>{caption}</p>
              <p className="muted">{t("taken", { time: format.dateTime(photo.createdAt) })}</p>
            </li>
          );
        })}
      </ul>
    </section>
  );
}
