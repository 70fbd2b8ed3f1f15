import { colors, fontSize, radius, space, temperatureToneColors } from "@rantai/ui/tokens";
import { useLocalSearchParams, useRouter } from "expo-router";
import { type ReactNode, useMemo, useState } from "react";
import { ActivityIndicator, Pressable, ScrollView, StyleSheet, Text, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { AlarmHistory } from "@/fridge/alarm-history";
import { type ChartRange, chartRanges } from "@/fridge/chart-series";
import { TemperatureChart } from "@/fridge/temperature-chart";
import { useFridgeSeries } from "@/fridge/use-fridge-series";
import { useNow } from "@/hooks/use-now";
import { useErrorMessage } from "@/i18n/use-error-message";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import { useSession } from "@/session/session-provider";
import { useSync } from "@/sync/sync-provider";

const NOW_EVERY_MS = 30_000;
/** As far back as the first pull sends ended alarms (ALARM_HISTORY_DAYS on the server). */
const HISTORY_DAYS = 30;

/**
 * One fridge: its temperature now and state, the last 24 hours or 7 days drawn with the
 * +2…+8 °C band, and its alarm history, where staff acknowledge an alarm with what they did.
 * Everything but the chart comes from the phone's local store, so it opens offline; the chart
 * is fetched online and its last copy kept on the phone, its age shown.
 */
export default function FridgeScreen() {
  const t = useTranslations("mobile.fridge");
  const tRoot = useTranslations();
  const router = useRouter();
  const { id } = useLocalSearchParams<{ id?: string }>();
  const fridgeId = id && /^\d{1,15}$/.test(id) ? Number(id) : null;
  const { local, state } = useSync();
  const { user } = useSession();
  const now = useNow(NOW_EVERY_MS);
  const format = usePhoneFormat();
  const fridge = local?.data.fridges.find((row) => row.equipmentId === fridgeId) ?? null;
  const alarms = useMemo(() => {
    // The history the first pull brings; older ended alarms a phone kept from later pulls are left out.
    const since = new Date(now - HISTORY_DAYS * 86_400_000).toISOString();
    return (local?.alarms ?? []).filter(
      (alarm) =>
        alarm.equipmentId === fridgeId &&
        (alarm.status === "open" || alarm.status === "acknowledged" || alarm.startedAt >= since),
    );
  }, [local, fridgeId, now]);
  const mayAcknowledge = user?.rights.includes("coldchain.alarms.acknowledge") ?? false;
  const fetchedAt = local?.fetchedAt.fridges;

  const back = () => (router.canGoBack() ? router.back() : router.replace("/fridges"));

  let body: ReactNode;
  // Reading the device, or the first pull under way: a moment, online only (offline it fails at once).
  if (!local || (fetchedAt === undefined && state.pulling)) {
    body = <ActivityIndicator size="large" color={colors.brand} aria-label={t("loading")} />;
  } else if (fridgeId === null || !fridge) {
    body = (
      <Text testID="fridge-unknown" style={styles.muted}>
        {fetchedAt === undefined ? t("nothingYet") : t("unknown")}
      </Text>
    );
  } else {
    const tone = temperatureToneColors[fridge.temperatureState].fg;
    const reading = fridge.latest;
    return (
      <Frame title={fridge.name} onBack={back}>
        <View testID="fridge-now" style={styles.card}>
          <Text style={styles.label}>{t("now")}</Text>
          <View style={styles.reading}>
            <Text testID="fridge-detail-temp" style={[styles.temp, { color: tone }]}>
              {format.temperature(reading?.tempC)}
            </Text>
            <Text testID="fridge-detail-state" style={[styles.state, { color: tone }]}>
              {tRoot(`coldchain.temperatureState.${fridge.temperatureState}`)}
            </Text>
          </View>
          {reading ? (
            <Text style={styles.muted}>
              {t("readingAt", {
                time: format.facilityTime(new Date(reading.ts)),
                age: format.age(new Date(reading.ts), new Date(now)),
              })}
            </Text>
          ) : null}
          {fetchedAt !== undefined ? (
            <Text testID="fridge-data-age" style={styles.muted}>
              {t("dataAge", { age: format.age(new Date(fetchedAt), new Date(now)) })}
            </Text>
          ) : null}
        </View>
        <ChartSection fridgeId={fridge.equipmentId} now={now} />
        <Text role="heading" aria-level={2} style={styles.heading}>
          {t("history.heading")}
        </Text>
        <AlarmHistory alarms={alarms} mayAcknowledge={mayAcknowledge} now={now} />
      </Frame>
    );
  }
  return (
    <Frame title={t("title")} onBack={back}>
      {body}
    </Frame>
  );
}

function Frame({ title, onBack, children }: { title: string; onBack: () => void; children: ReactNode }) {
  const t = useTranslations("mobile.fridge");
  return (
    <SafeAreaView style={styles.safe}>
      <View style={styles.topBar}>
        <Button label={t("back")} testID="fridge-back" variant="secondary" onPress={onBack} />
        <Text role="heading" aria-level={1} style={styles.title}>
          {title}
        </Text>
      </View>
      <ScrollView contentContainerStyle={styles.content}>{children}</ScrollView>
    </SafeAreaView>
  );
}

/** The chart with its range toggle, and what it shows when it has nothing fresh: the stored copy's age, or why there is none. */
function ChartSection({ fridgeId, now }: { fridgeId: number; now: number }) {
  const t = useTranslations("mobile.fridge.chart");
  const format = usePhoneFormat();
  const describeError = useErrorMessage();
  const [range, setRange] = useState<ChartRange>("24h");
  const state = useFridgeSeries(fridgeId, range);
  return (
    <View style={styles.card}>
      <View role="radiogroup" aria-label={t("rangeLabel")} style={styles.ranges}>
        {chartRanges.map((choice) => {
          const selected = choice === range;
          return (
            <Pressable
              key={choice}
              testID={`chart-range-${choice}`}
              role="radio"
              aria-checked={selected}
              onPress={() => setRange(choice)}
              style={[styles.range, selected && styles.rangeSelected]}
            >
              <Text style={[styles.rangeText, selected && styles.rangeTextSelected]}>{t(`ranges.${choice}`)}</Text>
            </Pressable>
          );
        })}
      </View>
      {state.series ? (
        <>
          <TemperatureChart series={state.series} />
          {state.fetchedAt !== null ? (
            <Text testID="chart-age" style={styles.muted}>
              {t(state.online ? "age" : "savedAge", { age: format.age(new Date(state.fetchedAt), new Date(now)) })}
            </Text>
          ) : null}
        </>
      ) : state.loading ? (
        <ActivityIndicator color={colors.brand} aria-label={t("loading")} />
      ) : (
        <Text testID="chart-nothing" role="status" style={styles.muted}>
          {state.online && state.error ? describeError(state.error) : t("nothingSaved")}
        </Text>
      )}
    </View>
  );
}

const styles = StyleSheet.create({
  safe: { flex: 1, backgroundColor: colors.canvas },
  topBar: {
    flexDirection: "row",
    alignItems: "center",
    gap: space.md,
    paddingHorizontal: space.lg,
    paddingVertical: space.md,
    borderBottomWidth: 1,
    borderBottomColor: colors.border,
    backgroundColor: colors.surface,
  },
  title: { flexShrink: 1, fontSize: fontSize.lg, fontWeight: "700", color: colors.ink },
  content: { padding: space.lg, gap: space.md, width: "100%", maxWidth: 560, alignSelf: "center" },
  card: {
    gap: space.sm,
    padding: space.lg,
    borderRadius: radius.md,
    backgroundColor: colors.surface,
    borderWidth: 1,
    borderColor: colors.border,
  },
  label: { fontSize: fontSize.sm, fontWeight: "600", color: colors.inkMuted },
  reading: { flexDirection: "row", alignItems: "baseline", columnGap: space.md, flexWrap: "wrap" },
  temp: { fontSize: fontSize.display, fontWeight: "700", fontVariant: ["tabular-nums"] },
  state: { fontSize: fontSize.md, fontWeight: "600" },
  heading: { fontSize: fontSize.lg, fontWeight: "700", color: colors.ink, marginTop: space.sm },
  muted: { fontSize: fontSize.sm, color: colors.inkMuted },
  ranges: { flexDirection: "row", gap: space.sm },
  range: {
    flexGrow: 1,
    minHeight: 48,
    alignItems: "center",
    justifyContent: "center",
    borderRadius: radius.sm,
    borderWidth: 1,
    borderColor: colors.border,
  },
  rangeSelected: { borderColor: colors.brand, borderWidth: 2, backgroundColor: colors.okSoft },
  rangeText: { fontSize: fontSize.md, fontWeight: "600", color: colors.inkMuted },
  rangeTextSelected: { color: colors.brand },
});
