import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import type { ReactElement, ReactNode } from "react";
import { FlatList, StyleSheet, Text, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";
import { AppHeader, type Section } from "@/components/app-header";
import { type ListQuery, ListSeparator, QueryGate, StaleBanner } from "@/components/query-states";
import { usePullRefresh } from "@/hooks/use-pull-refresh";

/** A list screen's frame: the header, then the query's loading and error states before its list. */
export function ListScreenFrame({
  current,
  query,
  loadingLabel,
  children,
}: {
  current: Section;
  query: ListQuery;
  loadingLabel: string;
  children: ReactNode;
}) {
  return (
    <SafeAreaView style={listScreenStyles.safe}>
      <AppHeader current={current} />
      <QueryGate query={query} loadingLabel={loadingLabel}>
        {children}
      </QueryGate>
    </SafeAreaView>
  );
}

/** What every list screen's list does alike (FlatList or SectionList): separators, padding, pull-to-refresh. */
export function useListBehaviour(query: ListQuery) {
  const pull = usePullRefresh(query.refetch);
  return {
    ItemSeparatorComponent: ListSeparator,
    contentContainerStyle: listScreenStyles.list,
    refreshing: pull.refreshing,
    onRefresh: pull.onRefresh,
  };
}

/**
 * One of the facility's flat list screens (stock, deliveries): the frame, then the list with a
 * stale-data banner, the confirmation a form sent back, any action above the rows, and an empty line.
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
  const behaviour = useListBehaviour(query);
  return (
    <ListScreenFrame current={current} query={query} loadingLabel={loadingLabel}>
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
        ListEmptyComponent={<Text style={listScreenStyles.empty}>{emptyText}</Text>}
        {...behaviour}
      />
    </ListScreenFrame>
  );
}

export const listScreenStyles = StyleSheet.create({
  safe: { flex: 1, backgroundColor: colors.canvas },
  list: { padding: space.lg, flexGrow: 1 },
  empty: { fontSize: fontSize.md, color: colors.inkMuted, textAlign: "center", marginTop: space.xl },
});

const styles = StyleSheet.create({
  listHeader: { gap: space.md, marginBottom: space.md },
  success: {
    fontSize: fontSize.md,
    color: colors.ok,
    backgroundColor: colors.okSoft,
    padding: space.md,
    borderRadius: radius.sm,
  },
});
