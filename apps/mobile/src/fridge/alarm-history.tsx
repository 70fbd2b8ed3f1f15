import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { useState } from "react";
import { StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import type { ShownAlarm } from "@/sync/optimistic";
import { AcknowledgeForm } from "./acknowledge-form";
import { useDuration } from "./use-duration";

/** Alarm types whose peak is a temperature (low battery's is a percentage; no data has none). */
const temperatureTypes: ReadonlySet<ShownAlarm["type"]> = new Set(["heat", "freeze", "excursion"]);

/**
 * One fridge's alarms, newest first: type, status, when it started, how long it lasted and its
 * peak, the acknowledgement (or the way to give one, for those whose role may).
 */
export function AlarmHistory({
  alarms,
  mayAcknowledge,
  now,
}: {
  alarms: readonly ShownAlarm[];
  mayAcknowledge: boolean;
  now: number;
}) {
  const t = useTranslations("mobile.fridge.history");
  const [open, setOpen] = useState<number | null>(null);
  if (alarms.length === 0) {
    return (
      <Text testID="alarm-history-empty" style={styles.muted}>
        {t("empty")}
      </Text>
    );
  }
  return (
    <View style={styles.list}>
      {alarms.map((alarm) => (
        <AlarmItem
          key={alarm.id}
          alarm={alarm}
          now={now}
          mayAcknowledge={mayAcknowledge}
          acknowledging={open === alarm.id}
          onAcknowledge={() => setOpen(alarm.id)}
          onDone={() => setOpen(null)}
        />
      ))}
    </View>
  );
}

function AlarmItem({
  alarm,
  now,
  mayAcknowledge,
  acknowledging,
  onAcknowledge,
  onDone,
}: {
  alarm: ShownAlarm;
  now: number;
  mayAcknowledge: boolean;
  acknowledging: boolean;
  onAcknowledge: () => void;
  onDone: () => void;
}) {
  const t = useTranslations();
  const format = usePhoneFormat();
  const duration = useDuration();
  const started = Date.parse(alarm.startedAt);
  const ended = alarm.endedAt === null ? null : Date.parse(alarm.endedAt);
  const live = alarm.status === "open" || alarm.status === "acknowledged";
  const needsAcknowledgement = alarm.acknowledgedAt === null && alarm.status !== "retracted";
  const peak =
    alarm.peakCentiC !== null && temperatureTypes.has(alarm.type) ? format.temperature(alarm.peakCentiC / 100) : null;
  return (
    <View testID="alarm-history-item" style={[styles.item, live && styles.live]}>
      <Text style={styles.type}>{t(`alarms.types.${alarm.type}`)}</Text>
      <Text testID="alarm-status" style={[styles.status, live && styles.liveText]}>
        {t(`alarms.status.${alarm.status}`)}
      </Text>
      <Text style={styles.detail}>
        {t("mobile.fridge.history.started", { time: format.facilityTime(new Date(started)) })}
      </Text>
      <Text style={styles.detail}>
        {t(`mobile.fridge.history.${ended === null ? "ongoing" : "lasted"}`, {
          duration: duration((ended ?? now) - started),
          peak: peak ?? "",
          hasPeak: peak === null ? "no" : "yes",
        })}
      </Text>
      {alarm.acknowledgedAt !== null ? (
        <Text testID="alarm-acknowledgement" style={styles.acknowledgement}>
          {t("mobile.fridge.history.acknowledged", {
            time: format.facilityTime(new Date(alarm.acknowledgedAt)),
            comment: alarm.acknowledgementComment ?? "",
          })}
        </Text>
      ) : null}
      {alarm.pendingAcknowledgement ? (
        <Text testID="alarm-pending" style={styles.pending}>
          {t("mobile.fridge.history.pending")}
        </Text>
      ) : null}
      {needsAcknowledgement && mayAcknowledge ? (
        acknowledging ? (
          <AcknowledgeForm alarmId={alarm.id} onDone={onDone} />
        ) : (
          <Button
            label={t("mobile.fridge.acknowledge.open")}
            testID="acknowledge-open"
            accessibilityLabel={t("mobile.fridge.acknowledge.openLabel", { type: t(`alarms.typeNames.${alarm.type}`) })}
            onPress={onAcknowledge}
          />
        )
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  list: { gap: space.md },
  item: {
    gap: space.xs,
    padding: space.lg,
    borderRadius: radius.md,
    backgroundColor: colors.surface,
    borderWidth: 1,
    borderColor: colors.border,
  },
  live: { borderColor: colors.warm, borderWidth: 2 },
  type: { fontSize: fontSize.md, fontWeight: "700", color: colors.ink },
  status: { fontSize: fontSize.sm, fontWeight: "600", color: colors.inkMuted },
  liveText: { color: colors.warm },
  detail: { fontSize: fontSize.sm, color: colors.ink },
  acknowledgement: { fontSize: fontSize.sm, color: colors.ink, fontStyle: "italic" },
  pending: { fontSize: fontSize.sm, color: colors.inkMuted },
  muted: { fontSize: fontSize.md, color: colors.inkMuted },
});
