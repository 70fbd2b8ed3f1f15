import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { useQuery } from "@tanstack/react-query";
import { useLocalSearchParams, useRouter } from "expo-router";
import { useCallback, useState } from "react";
import { ActivityIndicator, FlatList, StyleSheet, Text, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";
import { AppHeader } from "@/components/app-header";
import { Button } from "@/components/button";
import { StockRow } from "@/components/stock-row";
import { describeError } from "@/lib/api-error";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";

export default function StockScreen() {
  const trpc = useTRPC();
  const router = useRouter();
  const { status } = useSession();
  // Set by the usage form when it returns here after the server confirmed.
  const { recorded } = useLocalSearchParams<{ recorded?: string }>();
  const [pullRefreshing, setPullRefreshing] = useState(false);

  // Without an org unit the server answers for the signed-in user's own facility.
  const summary = useQuery(trpc.stock.facilitySummary.queryOptions({}, { enabled: status === "signed-in" }));
  const { refetch } = summary;
  const onRefresh = useCallback(async () => {
    setPullRefreshing(true);
    try {
      await refetch();
    } finally {
      setPullRefreshing(false);
    }
  }, [refetch]);

  return (
    <SafeAreaView style={styles.safe}>
      <AppHeader current="stock" />
      {summary.isPending ? (
        <View style={styles.centered}>
          <ActivityIndicator size="large" color={colors.brand} aria-label="Loading stock" />
        </View>
      ) : summary.isError && !summary.data ? (
        <View style={styles.centered}>
          <Text role="alert" style={styles.errorText}>
            {describeError(summary.error)}
          </Text>
          <Button label="Try again" onPress={() => void refetch()} busy={summary.isFetching} />
        </View>
      ) : (
        <FlatList
          data={summary.data?.items ?? []}
          keyExtractor={(item) => String(item.itemId)}
          renderItem={({ item }) => <StockRow item={item} />}
          ListHeaderComponent={
            <View style={styles.listHeader}>
              {summary.isError ? (
                // Keep showing the last good figures, but say they may be old.
                <Text role="alert" style={styles.banner}>
                  {describeError(summary.error)}
                </Text>
              ) : null}
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
          ItemSeparatorComponent={Separator}
          contentContainerStyle={styles.list}
          refreshing={pullRefreshing}
          onRefresh={onRefresh}
        />
      )}
    </SafeAreaView>
  );
}

function Separator() {
  return <View style={styles.separator} />;
}

const styles = StyleSheet.create({
  safe: { flex: 1, backgroundColor: colors.canvas },
  centered: { flex: 1, alignItems: "center", justifyContent: "center", gap: space.lg, padding: space.xl },
  errorText: { fontSize: fontSize.md, color: colors.danger, textAlign: "center" },
  list: { padding: space.lg, flexGrow: 1 },
  listHeader: { gap: space.md, marginBottom: space.md },
  banner: {
    fontSize: fontSize.sm,
    color: colors.danger,
    backgroundColor: colors.warmSoft,
    padding: space.md,
    borderRadius: radius.sm,
  },
  success: {
    fontSize: fontSize.md,
    color: colors.ok,
    backgroundColor: colors.okSoft,
    padding: space.md,
    borderRadius: radius.sm,
  },
  empty: { fontSize: fontSize.md, color: colors.inkMuted, textAlign: "center", marginTop: space.xl },
  separator: { height: space.md },
});
