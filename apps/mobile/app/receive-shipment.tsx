import { colors, fontSize } from "@rantai/ui/tokens";
import { randomUuid } from "@rantai/ui/uuid";
import { useLocalSearchParams, useRouter } from "expo-router";
import { useState } from "react";
import { StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { FormScreen, formStyles } from "@/components/form-screen";
import { TextField } from "@/components/text-field";
import { useSaveAction } from "@/hooks/use-save-action";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import { LinePhotos } from "@/photos/line-photos";
import { useShipmentPhotos } from "@/photos/use-shipment-photos";
import { useSync } from "@/sync/sync-provider";

type LineCount = { received: string; damaged: string };

/** Whole doses typed by staff; empty counts as 0, anything else is not a count. */
function dosesOf(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return 0;
  return /^\d{1,8}$/.test(trimmed) ? Number(trimmed) : null;
}

/**
 * Count what arrived, line by line: good doses, damaged doses; the rest is reported short. The
 * shipment and its lines come from the phone's copy, and the receipt is saved on the phone and
 * sent when it can be, so a delivery is received where there is no signal.
 */
export default function ReceiveShipmentScreen() {
  const t = useTranslations("mobile");
  const format = usePhoneFormat();
  const router = useRouter();
  const { local } = useSync();
  const { shipmentId: shipmentParam } = useLocalSearchParams<{ shipmentId?: string }>();
  const shipmentId = shipmentParam && /^\d{1,15}$/.test(shipmentParam) ? Number(shipmentParam) : null;
  const shipment = shipmentId === null ? undefined : local?.data.shipments[String(shipmentId)];
  const receivedOnPhone =
    local?.queued.some(
      (action) => action.kind === "distribution.receiveShipment" && action.input.shipmentId === shipmentId,
    ) ?? false;
  const photos = useShipmentPhotos(shipmentId);
  const [counts, setCounts] = useState<Map<number, LineCount>>(new Map());
  const [note, setNote] = useState("");
  const saving = useSaveAction();

  const lines = shipment?.lines ?? [];
  const countOf = (line: (typeof lines)[number]): LineCount =>
    counts.get(line.id) ?? { received: String(line.doses), damaged: "0" };
  const checked = lines.map((line) => {
    const count = countOf(line);
    const received = dosesOf(count.received);
    const damaged = dosesOf(count.damaged);
    const error =
      received === null || damaged === null
        ? t("receive.wholeDoses")
        : received + damaged > line.doses
          ? t("receive.atMost", { doses: line.doses })
          : null;
    return { line, received: received ?? 0, damaged: damaged ?? 0, error };
  });
  const valid = checked.every((entry) => entry.error === null);
  const asShipped = checked.every((entry) => entry.received === entry.line.doses && entry.damaged === 0);

  const submit = async () => {
    if (!valid || shipmentId === null) return;
    const trimmed = note.trim();
    const idempotencyKey = randomUuid();
    const saved = await saving.save({
      kind: "distribution.receiveShipment",
      clientTime: new Date(),
      input: {
        idempotencyKey,
        shipmentId,
        ...(trimmed ? { note: trimmed } : {}),
        ...(asShipped
          ? {}
          : {
              lines: checked.map((entry) => ({
                shipmentLineId: entry.line.id,
                receivedDoses: entry.received,
                damagedDoses: entry.damaged,
              })),
            }),
      },
    });
    if (!saved) return;
    router.dismissTo({
      pathname: "/deliveries",
      params: {
        received: t("deliveries.received", { id: shipmentId, differences: asShipped ? "no" : "yes" }),
        key: idempotencyKey,
      },
    });
  };

  return (
    <FormScreen
      title={t("receive.title")}
      cancelTestID="receive-cancel"
      onCancel={() => router.dismissTo("/deliveries")}
    >
      {!shipment ? (
        <Text role="alert" style={styles.error}>
          {local === null ? t("receive.loading") : t("receive.notFound")}
        </Text>
      ) : (
        <>
          <Text style={styles.step}>{t("deliveries.shipment", { id: shipment.id, sender: shipment.senderName })}</Text>
          <Text style={styles.hint}>{t("receive.hint")}</Text>
          {checked.map(({ line, error }) => (
            <View key={line.id} testID="receive-line" style={styles.card}>
              <Text style={styles.name}>{t("receive.line", { item: line.itemName, lot: line.lotNumber })}</Text>
              <Text style={styles.hint}>
                {t("receive.sent", { doses: line.doses, expiry: format.day(line.expiryDate), stage: line.vvmStage })}
              </Text>
              <TextField
                label={t("receive.receivedDoses")}
                testID={`received-${line.id}`}
                value={countOf(line).received}
                onChangeText={(text) => setCounts(new Map(counts).set(line.id, { ...countOf(line), received: text }))}
                inputMode="numeric"
                keyboardType="number-pad"
              />
              <TextField
                label={t("receive.damagedDoses")}
                testID={`damaged-${line.id}`}
                value={countOf(line).damaged}
                onChangeText={(text) => setCounts(new Map(counts).set(line.id, { ...countOf(line), damaged: text }))}
                inputMode="numeric"
                keyboardType="number-pad"
              />
              {error ? (
                <Text role="alert" style={styles.fieldError}>
                  {error}
                </Text>
              ) : null}
              <LinePhotos photos={photos} shipmentLineId={line.id} lot={line.lotNumber} />
            </View>
          ))}
          <TextField
            label={t("receive.note")}
            testID="receive-note"
            value={note}
            onChangeText={setNote}
            maxLength={500}
          />
          {saving.error ? (
            <Text testID="receive-error" role="alert" aria-live="polite" style={styles.error}>
              {saving.error}
            </Text>
          ) : null}
          <Text style={styles.hint}>{t("receive.savedStock")}</Text>
          <Button
            label={t(asShipped ? "receive.submitAll" : "receive.submitDifferences")}
            testID="receive-submit"
            onPress={() => void submit()}
            disabled={!valid || shipment.status !== "dispatched" || receivedOnPhone}
            busy={saving.isPending}
          />
        </>
      )}
    </FormScreen>
  );
}

const styles = {
  ...formStyles,
  ...StyleSheet.create({
    name: { fontSize: fontSize.md, fontWeight: "700", color: colors.ink },
    fieldError: { fontSize: fontSize.sm, color: colors.danger },
  }),
};
