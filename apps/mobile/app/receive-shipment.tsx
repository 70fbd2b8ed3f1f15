import { colors, fontSize } from "@rantai/ui/tokens";
import { skipToken, useQuery } from "@tanstack/react-query";
import { useLocalSearchParams, useRouter } from "expo-router";
import { useState } from "react";
import { ActivityIndicator, StyleSheet, Text, View } from "react-native";
import { Button } from "@/components/button";
import { FormScreen, formStyles } from "@/components/form-screen";
import { TextField } from "@/components/text-field";
import { type ReceiptReport, useReceiveShipment } from "@/hooks/use-receive-shipment";
import { describeError } from "@/lib/api-error";
import { formatCount } from "@/lib/stock";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";

type LineCount = { received: string; damaged: string };

/** Whole doses typed by staff; empty counts as 0, anything else is not a count. */
function dosesOf(text: string): number | null {
  const trimmed = text.trim();
  if (trimmed === "") return 0;
  return /^\d{1,8}$/.test(trimmed) ? Number(trimmed) : null;
}

/** Count what arrived, line by line: good doses, damaged doses; the rest is reported short. */
export default function ReceiveShipmentScreen() {
  const trpc = useTRPC();
  const router = useRouter();
  const { status } = useSession();
  const { shipmentId: shipmentParam } = useLocalSearchParams<{ shipmentId?: string }>();
  const shipmentId = shipmentParam && /^\d{1,15}$/.test(shipmentParam) ? Number(shipmentParam) : null;
  const shipment = useQuery(
    trpc.distribution.getShipment.queryOptions(shipmentId === null ? skipToken : { shipmentId }, {
      enabled: status === "signed-in",
    }),
  );
  const [counts, setCounts] = useState<Map<number, LineCount>>(new Map());
  const [note, setNote] = useState("");
  const receive = useReceiveShipment((report: ReceiptReport) => {
    router.dismissTo({
      pathname: "/deliveries",
      params: {
        received: `Shipment ${report.shipmentId} received${report.lines ? " with differences reported" : ""}.`,
      },
    });
  });

  const lines = shipment.data?.lines ?? [];
  const countOf = (line: (typeof lines)[number]): LineCount =>
    counts.get(line.id) ?? { received: String(line.doses), damaged: "0" };
  const checked = lines.map((line) => {
    const count = countOf(line);
    const received = dosesOf(count.received);
    const damaged = dosesOf(count.damaged);
    const error =
      received === null || damaged === null
        ? "Enter whole doses."
        : received + damaged > line.doses
          ? `At most ${formatCount(line.doses)} doses were sent.`
          : null;
    return { line, received: received ?? 0, damaged: damaged ?? 0, error };
  });
  const valid = checked.every((entry) => entry.error === null);
  const asShipped = checked.every((entry) => entry.received === entry.line.doses && entry.damaged === 0);

  const submit = () => {
    if (!valid || shipmentId === null) return;
    const trimmed = note.trim();
    receive.submit({
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
    });
  };

  return (
    <FormScreen title="Receive shipment" cancelTestID="receive-cancel" onCancel={() => router.dismissTo("/deliveries")}>
      {shipment.isPending ? (
        <ActivityIndicator color={colors.brand} aria-label="Loading shipment" />
      ) : shipment.isError || !shipment.data ? (
        <Text role="alert" style={styles.error}>
          {shipment.isError ? describeError(shipment.error) : "This shipment does not exist."}
        </Text>
      ) : (
        <>
          <Text style={styles.step}>
            Shipment {shipment.data.id} from {shipment.data.sender.name}
          </Text>
          <Text style={styles.hint}>Count what arrived. Doses neither received nor damaged are reported as short.</Text>
          {checked.map(({ line, error }) => (
            <View key={line.id} testID="receive-line" style={styles.card}>
              <Text style={styles.name}>
                {line.itemName} · lot {line.lotNumber}
              </Text>
              <Text style={styles.hint}>
                Sent: {formatCount(line.doses)} doses · expires {line.expiryDate} · VVM {line.vvmStage}
              </Text>
              <TextField
                label="Doses received in good order"
                testID={`received-${line.id}`}
                value={countOf(line).received}
                onChangeText={(text) => setCounts(new Map(counts).set(line.id, { ...countOf(line), received: text }))}
                inputMode="numeric"
                keyboardType="number-pad"
              />
              <TextField
                label="Doses damaged"
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
            </View>
          ))}
          <TextField
            label="Note (optional)"
            testID="receive-note"
            value={note}
            onChangeText={setNote}
            maxLength={500}
          />
          {receive.error ? (
            <Text testID="receive-error" role="alert" aria-live="polite" style={styles.error}>
              {describeError(receive.error)}
            </Text>
          ) : null}
          <Button
            label={asShipped ? "Receive all as sent" : "Receive with differences"}
            testID="receive-submit"
            onPress={submit}
            disabled={!valid || shipment.data.status !== "dispatched"}
            busy={receive.isPending}
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
