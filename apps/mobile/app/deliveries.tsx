import { colors, fontSize } from "@rantai/ui/tokens";
import { useLocalSearchParams, useRouter } from "expo-router";
import { useMemo } from "react";
import { StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { formStyles } from "@/components/form-screen";
import { ListScreen } from "@/components/list-screen";
import { SavedNotice } from "@/components/saved-notice";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import { shipmentsOnTheWay } from "@/lib/home-summary";
import { useSync } from "@/sync/sync-provider";

/** Shipments on their way to the facility, from the phone's copy: each is received here, offline too. */
export default function DeliveriesScreen() {
  const t = useTranslations("mobile.deliveries");
  const format = usePhoneFormat();
  const router = useRouter();
  const { local } = useSync();
  // Set by the receipt form when it returns here after saving on the phone.
  const { received, key } = useLocalSearchParams<{ received?: string; key?: string }>();
  const incoming = useMemo(() => (local ? shipmentsOnTheWay(local.data, local.queued) : []), [local]);
  const receivedWaiting = local?.queued.filter((action) => action.kind === "distribution.receiveShipment").length ?? 0;

  return (
    <ListScreen
      current="deliveries"
      datasets={["shipments"]}
      loadingLabel={t("loading")}
      items={incoming}
      keyOf={(shipment) => String(shipment.id)}
      renderItem={(shipment) => (
        <View testID="delivery-card" style={formStyles.card}>
          <Text style={styles.name}>{t("shipment", { id: shipment.id, sender: shipment.senderName })}</Text>
          {shipment.dispatchedAt ? (
            <Text style={styles.muted}>
              {t("sent", { time: format.facilityTime(new Date(shipment.dispatchedAt)) })}
            </Text>
          ) : null}
          <Text style={styles.muted}>{t("lines", { count: shipment.lines.length })}</Text>
          <Button
            label={t("receive")}
            testID={`receive-${shipment.id}`}
            accessibilityLabel={t("receiveLabel", { id: shipment.id })}
            onPress={() => router.push({ pathname: "/receive-shipment", params: { shipmentId: String(shipment.id) } })}
          />
        </View>
      )}
      notice={
        // Nothing above the list unless a receipt was just saved or waits: no empty gap.
        received || receivedWaiting > 0 ? (
          <>
            <SavedNotice text={received} idempotencyKey={key} testID="receive-success" />
            {receivedWaiting > 0 ? (
              <Text testID="received-waiting" style={styles.muted}>
                {t("receivedWaiting", { count: receivedWaiting })}
              </Text>
            ) : null}
          </>
        ) : null
      }
      emptyText={t("empty")}
    />
  );
}

const styles = StyleSheet.create({
  name: { fontSize: fontSize.md, fontWeight: "700", color: colors.ink },
  muted: { fontSize: fontSize.sm, color: colors.inkMuted },
});
