"use client";

import type { RouterOutputs } from "@rantai/api";
import { useTranslations } from "next-intl";
import { useCallback } from "react";
import { useConsoleFormat } from "~/i18n/use-console-format";

export type Alarm = RouterOutputs["coldchain"]["alarms"]["list"]["items"][number];

/** An alarm's duration and extremes in the reader's language: "1 jam 10 menit", "min -1,0 °C · puncak 3,2 °C". */
export function useAlarmText() {
  const t = useTranslations("alarms");
  const format = useConsoleFormat();

  const duration = useCallback(
    (seconds: number) => {
      const minutes = Math.round(seconds / 60);
      if (minutes < 60) return t("duration.minutes", { minutes });
      const hours = Math.floor(minutes / 60);
      return minutes % 60 === 0
        ? t("duration.hours", { hours })
        : t("duration.hoursMinutes", { hours, minutes: minutes % 60 });
    },
    [t],
  );

  const extreme = useCallback(
    (alarm: Alarm) => {
      if (alarm.unit === "batteryPct") return alarm.min === null ? "" : t("battery", { percent: alarm.min });
      const min = alarm.min === null ? null : t("min", { value: format.decimal(alarm.min) });
      const peak = alarm.peak === null ? null : t("peak", { value: format.decimal(alarm.peak) });
      if (alarm.type === "freeze" || alarm.type === "excursion") return [min, peak].filter(Boolean).join(" · ");
      return peak ?? "";
    },
    [t, format],
  );

  return { duration, extreme };
}
