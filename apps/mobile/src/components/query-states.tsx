import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import type { ReactNode } from "react";
import { ActivityIndicator, StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { useErrorMessage } from "@/i18n/use-error-message";

export interface ListQuery {
  isPending: boolean;
  isError: boolean;
  isFetching: boolean;
  error: unknown;
  data: unknown;
  refetch: () => Promise<unknown>;
}

/**
 * What a list screen shows before it has data: a spinner while the first load runs, the error
 * with "Try again" when it failed. Once data arrived, the list itself (children) is shown, and
 * a later failure is a <StaleBanner> on top of the last good data instead.
 */
export function QueryGate({
  query,
  loadingLabel,
  children,
}: {
  query: ListQuery;
  loadingLabel: string;
  children: ReactNode;
}) {
  const t = useTranslations();
  const describeError = useErrorMessage();
  if (query.isPending) {
    return (
      <View style={styles.centered}>
        <ActivityIndicator size="large" color={colors.brand} aria-label={loadingLabel} />
      </View>
    );
  }
  if (query.isError && !query.data) {
    return (
      <View style={styles.centered}>
        <Text role="alert" style={styles.errorText}>
          {describeError(query.error)}
        </Text>
        <Button label={t("common.tryAgain")} onPress={() => void query.refetch()} busy={query.isFetching} />
      </View>
    );
  }
  return children;
}

/** The last refetch failed: keep showing the last good data, but say it may be old. */
export function StaleBanner({ query }: { query: Pick<ListQuery, "isError" | "error"> }) {
  const describeError = useErrorMessage();
  if (!query.isError) return null;
  return (
    <Text role="alert" style={styles.banner}>
      {describeError(query.error)}
    </Text>
  );
}

export function ListSeparator() {
  return <View style={styles.separator} />;
}

const styles = StyleSheet.create({
  centered: { flex: 1, alignItems: "center", justifyContent: "center", gap: space.lg, padding: space.xl },
  errorText: { fontSize: fontSize.md, color: colors.danger, textAlign: "center" },
  banner: {
    fontSize: fontSize.sm,
    color: colors.danger,
    backgroundColor: colors.warmSoft,
    padding: space.md,
    borderRadius: radius.sm,
    marginBottom: space.md,
  },
  separator: { height: space.md },
});
