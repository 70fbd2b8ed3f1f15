import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import type { Trend } from "@/lib/fridge-trend";
import type { FridgeAlarm } from "@/lib/home-summary";
import type { LocalFridge } from "@/sync/local-store";

const MINUTE_MS = 60_000;

const trendArrows: Record<Trend, string> = { rising: "↑", falling: "↓", steady: "→", unknown: "·" };

/**
 * A fridge's trend and alarm state, in words (the arrow only adds to them), and the early warning
 * while one is open: which limit it is heading for and in about how many minutes.
 */
export function FridgeStatusLine({
  trend,
  alarm,
  warning = null,
  now = Date.now(),
}: {
  trend: Trend;
  alarm: FridgeAlarm | null;
  warning?: LocalFridge["earlyWarning"];
  now?: number;
}) {
  const t = useTranslations();
  const format = usePhoneFormat();
  const minutesLeft = warning
    ? Math.max(0, Math.round((Date.parse(warning.predictedBreachAt) - now) / MINUTE_MS))
    : null;
  return (
    <View style={styles.row}>
      <Text testID="fridge-trend" style={styles.trend}>
        {trendArrows[trend]} {t(`mobile.home.trend.${trend}`)}
      </Text>
      <Text testID="fridge-alarm" style={[styles.alarm, alarm ? styles.alarmOn : styles.alarmOff]}>
        {alarm
          ? t(`mobile.home.alarm.${alarm.phase}`, { type: t(`alarms.typeNames.${alarm.type}`) })
          : t("mobile.home.alarm.none")}
      </Text>
      {warning && minutesLeft !== null ? (
        <Text testID="fridge-early-warning" role="status" style={[styles.alarm, styles.warning]}>
          {t(`coldchain.earlyWarning.${warning.side}`, {
            limit: format.temperature(warning.limitC),
            minutes: minutesLeft,
          })}
        </Text>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  row: { flexDirection: "row", flexWrap: "wrap", alignItems: "center", columnGap: space.md, rowGap: space.xs },
  trend: { fontSize: fontSize.sm, fontWeight: "600", color: colors.ink },
  alarm: { fontSize: fontSize.sm, fontWeight: "600", paddingHorizontal: space.sm, borderRadius: radius.sm },
  alarmOn: { color: colors.danger, backgroundColor: colors.warmSoft },
  alarmOff: { color: colors.ok, backgroundColor: colors.okSoft },
  warning: { color: colors.danger, backgroundColor: colors.warmSoft },
});
