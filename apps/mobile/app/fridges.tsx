import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { useQuery } from "@tanstack/react-query";
import { useCallback, useMemo, useState } from "react";
import { ActivityIndicator, SectionList, StyleSheet, Text, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";
import { AppHeader } from "@/components/app-header";
import { Button } from "@/components/button";
import { type Fridge, FridgeCard } from "@/components/fridge-card";
import { useNow } from "@/hooks/use-now";
import { describeError } from "@/lib/api-error";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";

const REFETCH_MS = 10_000;

interface FacilitySection {
  facilityId: number;
  title: string;
  data: Fridge[];
}

// Facility staff see one facility, but district and province users may see
// several, so fridges are grouped under their facility rather than assuming one.
function groupByFacility(fridges: readonly Fridge[]): FacilitySection[] {
  const sections = new Map<number, FacilitySection>();
  for (const fridge of fridges) {
    const section = sections.get(fridge.facilityId);
    if (section) section.data.push(fridge);
    else sections.set(fridge.facilityId, { facilityId: fridge.facilityId, title: fridge.facilityName, data: [fridge] });
  }
  return [...sections.values()];
}

export default function FridgesScreen() {
  const trpc = useTRPC();
  const { status } = useSession();
  const now = useNow(REFETCH_MS);
  const [pullRefreshing, setPullRefreshing] = useState(false);

  const fridges = useQuery(
    trpc.coldchain.listFridges.queryOptions(
      {},
      // Disabled once signed out so the screen cannot refetch without a token
      // while the route guard is still navigating away.
      { refetchInterval: REFETCH_MS, enabled: status === "signed-in" },
    ),
  );
  const sections = useMemo(() => groupByFacility(fridges.data?.items ?? []), [fridges.data]);
  const hasMore = fridges.data?.nextCursor != null;

  const { refetch } = fridges;
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
      <AppHeader current="fridges" />

      {fridges.isPending ? (
        <View style={styles.centered}>
          <ActivityIndicator size="large" color={colors.brand} aria-label="Loading fridges" />
        </View>
      ) : fridges.isError && !fridges.data ? (
        <View style={styles.centered}>
          <Text role="alert" style={styles.errorText}>
            {describeError(fridges.error)}
          </Text>
          <Button label="Try again" onPress={() => void refetch()} busy={fridges.isFetching} />
        </View>
      ) : (
        <SectionList
          sections={sections}
          keyExtractor={(fridge) => String(fridge.equipmentId)}
          renderItem={({ item }) => <FridgeCard fridge={item} now={now} />}
          renderSectionHeader={({ section }) => (
            <Text testID="facility-name" role="heading" style={styles.facility}>
              {section.title}
            </Text>
          )}
          ListHeaderComponent={
            fridges.isError ? (
              // Keep showing the last good readings, but say they may be old.
              <Text role="alert" style={styles.banner}>
                {describeError(fridges.error)}
              </Text>
            ) : null
          }
          ListEmptyComponent={<Text style={styles.empty}>No fridges are registered for your facility yet.</Text>}
          ListFooterComponent={
            // Paging is left for later: a facility has a handful of fridges,
            // and only district-wide users can exceed one page.
            hasMore ? <Text style={styles.empty}>Showing the first {fridges.data?.items.length} fridges.</Text> : null
          }
          ItemSeparatorComponent={Separator}
          contentContainerStyle={styles.list}
          stickySectionHeadersEnabled={false}
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
  facility: { fontSize: fontSize.xl, fontWeight: "700", color: colors.ink, marginBottom: space.md },
  banner: {
    fontSize: fontSize.sm,
    color: colors.danger,
    backgroundColor: colors.warmSoft,
    padding: space.md,
    borderRadius: radius.sm,
    marginBottom: space.md,
  },
  empty: { fontSize: fontSize.md, color: colors.inkMuted, textAlign: "center", marginTop: space.xl },
  separator: { height: space.md },
});
