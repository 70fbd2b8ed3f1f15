import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import type { Trend } from "@/lib/fridge-trend";
import type { FridgeAlarm } from "@/lib/home-summary";

const trendArrows: Record<Trend, string> = { rising: "↑", falling: "↓", steady: "→", unknown: "·" };

/** A fridge's trend and alarm state, in words (the arrow only adds to them). */
export function FridgeStatusLine({ trend, alarm }: { trend: Trend; alarm: FridgeAlarm | null }) {
  const t = useTranslations();
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
    </View>
  );
}

const styles = StyleSheet.create({
  row: { flexDirection: "row", flexWrap: "wrap", alignItems: "center", columnGap: space.md, rowGap: space.xs },
  trend: { fontSize: fontSize.sm, fontWeight: "600", color: colors.ink },
  alarm: { fontSize: fontSize.sm, fontWeight: "600", paddingHorizontal: space.sm, borderRadius: radius.sm },
  alarmOn: { color: colors.danger, backgroundColor: colors.warmSoft },
  alarmOff: { color: colors.ok, backgroundColor: colors.okSoft },
});
