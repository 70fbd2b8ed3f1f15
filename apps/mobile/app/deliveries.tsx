import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { useQuery } from "@tanstack/react-query";
import { useLocalSearchParams, useRouter } from "expo-router";
import { FlatList, StyleSheet, Text, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";
import { AppHeader } from "@/components/app-header";
import { Button } from "@/components/button";
import { formStyles } from "@/components/form-screen";
import { ListSeparator, QueryGate, StaleBanner } from "@/components/query-states";
import { usePullRefresh } from "@/hooks/use-pull-refresh";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";

/** Shipments on their way to the facility: each is received here, with what was short or damaged. */
export default function DeliveriesScreen() {
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
  const pull = usePullRefresh(incoming.refetch);

  return (
    <SafeAreaView style={styles.safe}>
      <AppHeader current="deliveries" />
      <QueryGate query={incoming} loadingLabel="Loading deliveries">
        <FlatList
          data={incoming.data?.items ?? []}
          keyExtractor={(shipment) => String(shipment.id)}
          renderItem={({ item: shipment }) => (
            <View testID="delivery-card" style={formStyles.card}>
              <Text style={styles.name}>
                Shipment {shipment.id} from {shipment.senderName}
              </Text>
              {shipment.dispatchedAt ? (
                <Text style={styles.muted}>Sent {shipment.dispatchedAt.toLocaleString("en-GB")}</Text>
              ) : null}
              <Button
                label="Receive"
                testID={`receive-${shipment.id}`}
                accessibilityLabel={`Receive shipment ${shipment.id}`}
                onPress={() =>
                  router.push({ pathname: "/receive-shipment", params: { shipmentId: String(shipment.id) } })
                }
              />
            </View>
          )}
          ListHeaderComponent={
            <View style={styles.listHeader}>
              <StaleBanner query={incoming} />
              {received ? (
                <Text testID="receive-success" role="status" style={styles.success}>
                  {received}
                </Text>
              ) : null}
            </View>
          }
          ListEmptyComponent={<Text style={styles.empty}>No shipment is on its way to your facility.</Text>}
          ItemSeparatorComponent={ListSeparator}
          contentContainerStyle={styles.list}
          refreshing={pull.refreshing}
          onRefresh={pull.onRefresh}
        />
      </QueryGate>
    </SafeAreaView>
  );
}

const styles = StyleSheet.create({
  safe: { flex: 1, backgroundColor: colors.canvas },
  list: { padding: space.lg, flexGrow: 1 },
  listHeader: { gap: space.md, marginBottom: space.md },
  name: { fontSize: fontSize.md, fontWeight: "700", color: colors.ink },
  muted: { fontSize: fontSize.sm, color: colors.inkMuted },
  success: {
    fontSize: fontSize.md,
    color: colors.ok,
    backgroundColor: colors.okSoft,
    padding: space.md,
    borderRadius: radius.sm,
  },
  empty: { fontSize: fontSize.md, color: colors.inkMuted, textAlign: "center", marginTop: space.xl },
});
