import { colors, fontSize } from "@rantai/ui/tokens";
import { useQuery } from "@tanstack/react-query";
import { useLocalSearchParams, useRouter } from "expo-router";
import { StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { formStyles } from "@/components/form-screen";
import { ListScreen } from "@/components/list-screen";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";

/** Shipments on their way to the facility: each is received here, with what was short or damaged. */
export default function DeliveriesScreen() {
  const t = useTranslations("mobile.deliveries");
  const format = usePhoneFormat();
  const trpc = useTRPC();
  const router = useRouter();
  const { status } = useSession();
  // Set by the receipt form when it returns here after the server confirmed.
  const { received } = useLocalSearchParams<{ received?: string }>();
  // Without an org unit the server answers for the signed-in user's own facility.
  const incoming = useQuery(
    trpc.distribution.listShipments.queryOptions(
      { direction: "incoming", status: "dispatched", limit: 50 },
      { enabled: status === "signed-in" },
    ),
  );

  return (
    <ListScreen
      current="deliveries"
      query={incoming}
      loadingLabel={t("loading")}
      items={incoming.data?.items ?? []}
      keyOf={(shipment) => String(shipment.id)}
      renderItem={(shipment) => (
        <View testID="delivery-card" style={formStyles.card}>
          <Text style={styles.name}>{t("shipment", { id: shipment.id, sender: shipment.senderName })}</Text>
          {shipment.dispatchedAt ? (
            <Text style={styles.muted}>{t("sent", { time: format.facilityTime(shipment.dispatchedAt) })}</Text>
          ) : null}
          <Button
            label={t("receive")}
            testID={`receive-${shipment.id}`}
            accessibilityLabel={t("receiveLabel", { id: shipment.id })}
            onPress={() => router.push({ pathname: "/receive-shipment", params: { shipmentId: String(shipment.id) } })}
          />
        </View>
      )}
      confirmation={{ text: received, testID: "receive-success" }}
      emptyText={t("empty")}
    />
  );
}

const styles = StyleSheet.create({
  name: { fontSize: fontSize.md, fontWeight: "700", color: colors.ink },
  muted: { fontSize: fontSize.sm, color: colors.inkMuted },
});
