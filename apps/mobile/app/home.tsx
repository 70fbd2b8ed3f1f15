import { colors, fontSize, radius, space, temperatureToneColors } from "@rantai/ui/tokens";
import { useRouter } from "expo-router";
import { useMemo } from "react";
import { Pressable, RefreshControl, ScrollView, StyleSheet, Text, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";
import { useTranslations } from "use-intl";
import { AppHeader } from "@/components/app-header";
import { Button } from "@/components/button";
import { FridgeStatusLine } from "@/components/fridge-status-line";
import { listScreenStyles, useListBehaviour } from "@/components/list-screen";
import { LocalGate } from "@/components/local-gate";
import { useNow } from "@/hooks/use-now";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import { homeSummaryOf } from "@/lib/home-summary";
import type { StockItem } from "@/lib/local-stock";
import type { Dataset } from "@/sync/local-store";
import { useSync } from "@/sync/sync-provider";

const datasets: readonly Dataset[] = ["fridges", "alarms", "stock", "reference", "shipments"];
const DAY_CHECK_MS = 60_000;

/** The first screen after sign-in: the fridges now, the stock to watch, what is on its way and what waits to be sent. */
export default function HomeScreen() {
  const t = useTranslations("mobile.home");
  const format = usePhoneFormat();
  const router = useRouter();
  const { local } = useSync();
  const now = useNow(DAY_CHECK_MS);
  const summary = useMemo(() => (local ? homeSummaryOf(local, new Date(now)) : null), [local, now]);
  const { refreshing, onRefresh } = useListBehaviour();
  const names = (items: readonly StockItem[]) => items.map((item) => item.itemName).join(", ");

  return (
    <SafeAreaView style={listScreenStyles.safe}>
      <AppHeader current="home" datasets={datasets} />
      <LocalGate datasets={datasets} loadingLabel={t("fridges")}>
        {summary ? (
          <ScrollView
            contentContainerStyle={styles.content}
            refreshControl={<RefreshControl refreshing={refreshing} onRefresh={onRefresh} />}
          >
            <Text role="heading" style={styles.heading}>
              {t("fridges")}
            </Text>
            {summary.fridges.length === 0 ? <Text style={styles.muted}>{t("noFridges")}</Text> : null}
            {summary.fridges.map(({ fridge, trend, alarm }) => (
              <Pressable
                key={fridge.equipmentId}
                testID="home-fridge"
                role="button"
                style={styles.card}
                onPress={() => router.push({ pathname: "/fridge/[id]", params: { id: String(fridge.equipmentId) } })}
              >
                <View style={styles.fridgeTop}>
                  <Text style={styles.name}>{fridge.name}</Text>
                  <Text
                    testID="home-fridge-temp"
                    style={[styles.temp, { color: temperatureToneColors[fridge.temperatureState].fg }]}
                  >
                    {format.temperature(fridge.latest?.tempC)}
                  </Text>
                </View>
                <FridgeStatusLine trend={trend} alarm={alarm} warning={fridge.earlyWarning} now={now} />
              </Pressable>
            ))}

            <Text role="heading" style={styles.heading}>
              {t("stock")}
            </Text>
            <View testID="home-stock" style={styles.card}>
              {summary.stockOut.length > 0 ? (
                <Text style={styles.danger}>{t("stockOut", { items: names(summary.stockOut) })}</Text>
              ) : null}
              {summary.belowMin.length > 0 ? (
                <Text style={styles.danger}>{t("belowMin", { items: names(summary.belowMin) })}</Text>
              ) : null}
              {summary.expiring.length > 0 ? (
                <Text style={styles.warn}>{t("expiring", { items: names(summary.expiring) })}</Text>
              ) : null}
              {summary.stockOut.length + summary.belowMin.length + summary.expiring.length === 0 ? (
                <Text style={styles.muted}>{t("stockFine")}</Text>
              ) : null}
              <Button
                label={t("openStock")}
                testID="home-open-stock"
                variant="secondary"
                onPress={() => router.push("/stock")}
              />
            </View>

            <View testID="home-shipments" style={styles.card}>
              <Text style={styles.name}>{t("shipments", { count: summary.shipmentsOnTheWay.length })}</Text>
              <Button
                label={t("openDeliveries")}
                testID="home-open-deliveries"
                variant="secondary"
                onPress={() => router.push("/deliveries")}
              />
            </View>

            <Text testID="home-waiting" style={[styles.name, styles.waiting]}>
              {t("waiting", { count: summary.waiting })}
            </Text>
          </ScrollView>
        ) : null}
      </LocalGate>
    </SafeAreaView>
  );
}

const styles = StyleSheet.create({
  content: { padding: space.lg, gap: space.md },
  heading: { fontSize: fontSize.lg, fontWeight: "700", color: colors.ink, marginTop: space.sm },
  card: {
    gap: space.sm,
    padding: space.lg,
    borderRadius: radius.md,
    backgroundColor: colors.surface,
    borderWidth: 1,
    borderColor: colors.border,
  },
  fridgeTop: { flexDirection: "row", alignItems: "baseline", justifyContent: "space-between", gap: space.sm },
  name: { flexShrink: 1, fontSize: fontSize.md, fontWeight: "600", color: colors.ink },
  temp: { flexShrink: 0, fontSize: fontSize.xl, fontWeight: "700", fontVariant: ["tabular-nums"] },
  muted: { fontSize: fontSize.sm, color: colors.inkMuted },
  danger: { fontSize: fontSize.md, fontWeight: "600", color: colors.danger },
  warn: { fontSize: fontSize.md, color: colors.ink },
  waiting: { textAlign: "center", marginTop: space.sm },
});
