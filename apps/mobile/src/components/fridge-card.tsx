import { colors, fontSize, radius, space, temperatureToneColors } from "@rantai/ui/tokens";
import { useRouter } from "expo-router";
import { Pressable, StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { FridgeStatusLine } from "@/components/fridge-status-line";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import type { Trend } from "@/lib/fridge-trend";
import type { FridgeAlarm } from "@/lib/home-summary";
import type { LocalFridge } from "@/sync/local-store";

/** A fridge as the phone's copy holds it (times as ISO text). */
export type Fridge = LocalFridge;

const STALE_AFTER_MS = 60 * 60 * 1000;

// The server's `stale` flag is only as fresh as the last pull; the local age
// check keeps a reading flagged once it passes an hour even while the phone is
// offline and pulls fail.
function isStale(fridge: Fridge, now: number): boolean {
  if (!fridge.latest) return false;
  return fridge.stale || now - Date.parse(fridge.latest.ts) > STALE_AFTER_MS;
}

export function FridgeCard({
  fridge,
  now,
  status,
}: {
  fridge: Fridge;
  now: number;
  /** The trend and the alarm, when the screen shows them. */
  status?: { trend: Trend; alarm: FridgeAlarm | null };
}) {
  const t = useTranslations();
  const router = useRouter();
  const format = usePhoneFormat();
  const reading = fridge.latest;
  const state = fridge.temperatureState;
  const tone = temperatureToneColors[state].fg;
  const temperature = format.temperature(reading?.tempC);
  const stale = isStale(fridge, now);
  // With no reading the state label already says so; an age would repeat it.
  const age = reading ? format.age(new Date(reading.ts), new Date(now)) : null;
  const ageText = age && stale ? t("mobile.fridges.stale", { age }) : age;
  const stateLabel = t(`coldchain.temperatureState.${state}`);

  const summary = [fridge.name, fridge.model, reading ? temperature : null, stateLabel, ageText]
    .filter(Boolean)
    .join(", ");

  return (
    // A tap opens the fridge: its chart, its alarm history and acknowledging an alarm.
    <Pressable
      testID="fridge-card"
      role="link"
      aria-label={summary}
      onPress={() => router.push({ pathname: "/fridge/[id]", params: { id: String(fridge.equipmentId) } })}
      style={({ pressed }) => [styles.card, pressed && styles.pressed]}
    >
      <View style={styles.heading}>
        <Text style={styles.name}>{fridge.name}</Text>
        {fridge.model ? <Text style={styles.model}>{fridge.model}</Text> : null}
      </View>
      <View style={styles.reading}>
        <Text testID="fridge-temp" style={[styles.temp, { color: tone }]}>
          {temperature}
        </Text>
        {/* Spelled out so the state never depends on colour alone. */}
        <Text style={[styles.state, { color: tone }]}>{stateLabel}</Text>
      </View>
      {ageText ? <Text style={[styles.age, stale && styles.stale]}>{ageText}</Text> : null}
      {status ? (
        <FridgeStatusLine trend={status.trend} alarm={status.alarm} warning={fridge.earlyWarning} now={now} />
      ) : null}
    </Pressable>
  );
}

const styles = StyleSheet.create({
  card: {
    gap: space.sm,
    padding: space.lg,
    borderRadius: radius.md,
    backgroundColor: colors.surface,
    borderWidth: 1,
    borderColor: colors.border,
  },
  pressed: { opacity: 0.7 },
  heading: { gap: 2 },
  name: { fontSize: fontSize.lg, fontWeight: "600", color: colors.ink },
  model: { fontSize: fontSize.sm, color: colors.inkMuted },
  reading: { flexDirection: "row", alignItems: "baseline", columnGap: space.md, flexWrap: "wrap" },
  temp: { fontSize: fontSize.display, fontWeight: "700", fontVariant: ["tabular-nums"] },
  state: { fontSize: fontSize.sm, fontWeight: "600" },
  age: { fontSize: fontSize.sm, color: colors.inkMuted },
  stale: { color: colors.danger, fontWeight: "600" },
});
