import { useCallback } from "react";
import { useTranslations } from "use-intl";

/** A span of time as the alarm catalog words it: "45 menit", "3 jam", "10 jam 5 menit". */
export function useDuration(): (ms: number) => string {
  const t = useTranslations("alarms.duration");
  return useCallback(
    (ms: number) => {
      const minutes = Math.max(0, Math.round(ms / 60_000));
      if (minutes < 60) return t("minutes", { minutes });
      const hours = Math.floor(minutes / 60);
      const rest = minutes % 60;
      return rest === 0 ? t("hours", { hours }) : t("hoursMinutes", { hours, minutes: rest });
    },
    [t],
  );
}
