import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { useQuery } from "@tanstack/react-query";
import { useLocalSearchParams, useRouter } from "expo-router";
import { FlatList, StyleSheet, Text, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";
import { AppHeader } from "@/components/app-header";
import { Button } from "@/components/button";
import { ListSeparator, QueryGate, StaleBanner } from "@/components/query-states";
import { StockRow } from "@/components/stock-row";
import { usePullRefresh } from "@/hooks/use-pull-refresh";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";

export default function StockScreen() {
  const trpc = useTRPC();
  const router = useRouter();
  const { status } = useSession();
  // Set by the usage form when it returns here after the server confirmed.
  const { recorded } = useLocalSearchParams<{ recorded?: string }>();

  // Without an org unit the server answers for the signed-in user's own facility.
  const summary = useQuery(trpc.stock.facilitySummary.queryOptions({}, { enabled: status === "signed-in" }));
  const pull = usePullRefresh(summary.refetch);

  return (
    <SafeAreaView style={styles.safe}>
      <AppHeader current="stock" />
      <QueryGate query={summary} loadingLabel="Loading stock">
        <FlatList
          data={summary.data?.items ?? []}
          keyExtractor={(item) => String(item.itemId)}
          renderItem={({ item }) => <StockRow item={item} />}
          ListHeaderComponent={
            <View style={styles.listHeader}>
              <StaleBanner query={summary} />
              {recorded ? (
                <Text testID="usage-success" role="status" style={styles.success}>
                  {recorded}
                </Text>
              ) : null}
              <Button
                label="Record a session's usage"
                testID="record-usage-button"
                onPress={() => router.push("/record-usage")}
              />
            </View>
          }
          ListEmptyComponent={<Text style={styles.empty}>No stock is recorded for your facility yet.</Text>}
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
  success: {
    fontSize: fontSize.md,
    color: colors.ok,
    backgroundColor: colors.okSoft,
    padding: space.md,
    borderRadius: radius.sm,
  },
  empty: { fontSize: fontSize.md, color: colors.inkMuted, textAlign: "center", marginTop: space.xl },
});
