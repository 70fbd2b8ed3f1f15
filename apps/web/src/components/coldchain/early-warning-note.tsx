"use client";

import { useTranslations } from "next-intl";
import { useConsoleFormat } from "~/i18n/use-console-format";

export interface EarlyWarningView {
  side: "upper" | "lower";
  limitC: number;
  predictedBreachAt: Date;
}

const MINUTE_MS = 60_000;

/** A fridge heading out of range: which limit and in about how many minutes, counted down against `now`. */
export function EarlyWarningNote({ warning, now }: { warning: EarlyWarningView; now: Date }) {
  const t = useTranslations("coldchain.earlyWarning");
  const format = useConsoleFormat();
  const minutes = Math.max(0, Math.round((warning.predictedBreachAt.getTime() - now.getTime()) / MINUTE_MS));
  return (
    <div className="early-warning" role="status" title={t("title")} data-testid="early-warning">
      {t(warning.side, { limit: format.temperature(warning.limitC), minutes })}
    </div>
  );
}
