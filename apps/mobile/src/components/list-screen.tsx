import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import type { ReactElement, ReactNode } from "react";
import { FlatList, StyleSheet, Text, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";
import { AppHeader, type Section } from "@/components/app-header";
import { LocalGate } from "@/components/local-gate";
import { ListSeparator } from "@/components/query-states";
import { usePullRefresh } from "@/hooks/use-pull-refresh";
import type { Dataset } from "@/sync/local-store";
import { useSync } from "@/sync/sync-provider";

/** A screen's frame: the header with the sync bar for its datasets, then the body once the phone holds them. */
export function ListScreenFrame({
  current,
  datasets,
  loadingLabel,
  children,
}: {
  current: Section;
  datasets: readonly Dataset[];
  loadingLabel: string;
  children: ReactNode;
}) {
  return (
    <SafeAreaView style={listScreenStyles.safe}>
      <AppHeader current={current} datasets={datasets} />
      <LocalGate datasets={datasets} loadingLabel={loadingLabel}>
        {children}
      </LocalGate>
    </SafeAreaView>
  );
}

/** What every list screen's list does alike (FlatList or SectionList): separators, padding, pull to update. */
export function useListBehaviour() {
  const { engine } = useSync();
  const pull = usePullRefresh(async () => {
    await Promise.all([engine?.flush(), engine?.pull()]);
  });
  return {
    ItemSeparatorComponent: ListSeparator,
    contentContainerStyle: listScreenStyles.list,
    refreshing: pull.refreshing,
    onRefresh: pull.onRefresh,
  };
}

/**
 * One of the facility's flat list screens (stock, deliveries): the frame, then the list with the
 * notice a form sent back, any actions above the rows, and an empty line.
 */
export function ListScreen<Item>({
  current,
  datasets,
  loadingLabel,
  items,
  keyOf,
  renderItem,
  notice,
  actions,
  emptyText,
}: {
  current: Section;
  datasets: readonly Dataset[];
  loadingLabel: string;
  items: readonly Item[];
  keyOf: (item: Item) => string;
  renderItem: (item: Item) => ReactElement;
  /** What a form just did (see SavedNotice). */
  notice?: ReactNode;
  actions?: ReactNode;
  emptyText: string;
}) {
  const behaviour = useListBehaviour();
  return (
    <ListScreenFrame current={current} datasets={datasets} loadingLabel={loadingLabel}>
      <FlatList
        data={items}
        keyExtractor={keyOf}
        renderItem={({ item }) => renderItem(item)}
        ListHeaderComponent={
          notice || actions ? (
            <View style={styles.listHeader}>
              {notice}
              {actions}
            </View>
          ) : null
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
  success: {
    fontSize: fontSize.md,
    color: colors.ok,
    backgroundColor: colors.okSoft,
    padding: space.md,
    borderRadius: radius.sm,
  },
});

const styles = StyleSheet.create({
  listHeader: { gap: space.md, marginBottom: space.md },
});
