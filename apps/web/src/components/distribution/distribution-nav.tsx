"use client";

import Link from "next/link";
import { useTranslations } from "next-intl";
import styles from "./distribution.module.css";
import { type DistributionView, distributionViews } from "./views";

/** The distribution lists as tabs; each is a URL, so a list survives a reload and can be linked. */
export function DistributionNav({ current }: { current: DistributionView | "allocate" }) {
  const t = useTranslations("distribution");
  return (
    <nav aria-label={t("tabs.label")} className={styles.tabs}>
      {distributionViews.map((view) => (
        <Link
          key={view}
          href={`/distribution?view=${view}`}
          className={styles.tab}
          aria-current={current === view ? "page" : undefined}
        >
          {t(`tabs.${view}`)}
        </Link>
      ))}
      <Link
        href="/distribution/allocate"
        className={styles.tab}
        aria-current={current === "allocate" ? "page" : undefined}
      >
        {t("tabs.allocate")}
      </Link>
    </nav>
  );
}
