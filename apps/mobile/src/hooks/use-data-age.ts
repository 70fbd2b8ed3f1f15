import { useTranslations } from "use-intl";
import { dataAgeOf, oldestFetch } from "@/lib/data-age";
import type { Dataset } from "@/sync/local-store";
import { useSync } from "@/sync/sync-provider";
import { useNow } from "./use-now";

/** Rewording "data from N minutes ago" more often than this would only move it within the same minute. */
const AGE_TICK_MS = 15_000;

/** "Data from 5 minutes ago" for the datasets a screen shows (the oldest of them), kept current as time passes. */
export function useDataAge(datasets: readonly Dataset[]): string {
  const t = useTranslations("mobile.sync.age");
  const { local } = useSync();
  const now = useNow(AGE_TICK_MS);
  const age = dataAgeOf(oldestFetch(datasets.map((dataset) => local?.fetchedAt[dataset])), now);
  switch (age.kind) {
    case "never":
      return t("never");
    case "justNow":
      return t("justNow");
    case "minutes":
      return t("minutes", { minutes: age.minutes });
    case "hours":
      return t("hours", { hours: age.hours });
    case "days":
      return t("days", { days: age.days });
  }
}
