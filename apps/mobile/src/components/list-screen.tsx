import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import type { ReactElement, ReactNode } from "react";
import { FlatList, StyleSheet, Text, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";
import { AppHeader, type Section } from "@/components/app-header";
import { type ListQuery, ListSeparator, QueryGate, StaleBanner } from "@/components/query-states";
import { usePullRefresh } from "@/hooks/use-pull-refresh";

/**
 * One of the facility's list screens (stock, deliveries): the header, the query's loading and
 * error states, then the list with a stale-data banner, the confirmation a form sent back, any
 * action above the rows, an empty line, and pull-to-refresh.
 */
export function ListScreen<Item>({
  current,
  query,
  loadingLabel,
  items,
  keyOf,
  renderItem,
  confirmation,
  actions,
  emptyText,
}: {
  current: Section;
  query: ListQuery;
  loadingLabel: string;
  items: readonly Item[];
  keyOf: (item: Item) => string;
  renderItem: (item: Item) => ReactElement;
  /** What a form just did (passed back as a route parameter), with its test id. */
  confirmation: { text: string | undefined; testID: string };
  actions?: ReactNode;
  emptyText: string;
}) {
  const pull = usePullRefresh(query.refetch);
  return (
    <SafeAreaView style={styles.safe}>
      <AppHeader current={current} />
      <QueryGate query={query} loadingLabel={loadingLabel}>
        <FlatList
          data={items}
          keyExtractor={keyOf}
          renderItem={({ item }) => renderItem(item)}
          ListHeaderComponent={
            <View style={styles.listHeader}>
              <StaleBanner query={query} />
              {confirmation.text ? (
                <Text testID={confirmation.testID} role="status" style={styles.success}>
                  {confirmation.text}
                </Text>
              ) : null}
              {actions}
            </View>
          }
          ListEmptyComponent={<Text style={styles.empty}>{emptyText}</Text>}
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
