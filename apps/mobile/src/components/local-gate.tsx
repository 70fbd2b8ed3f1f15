import { colors, fontSize, space } from "@rantai/ui/tokens";
import type { ReactNode } from "react";
import { ActivityIndicator, StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import type { Dataset } from "@/sync/local-store";
import { useSync } from "@/sync/sync-provider";

/**
 * What a screen shows before the phone holds its data: a spinner only while the first pull can
 * still bring it (online, no failure yet); offline or after a failure, the words that there is
 * nothing yet and how to get it, so a screen never spins without end. Once the data is on the
 * phone, the screen itself (children), however old: the sync bar says how old.
 */
export function LocalGate({
  datasets,
  loadingLabel,
  children,
}: {
  datasets: readonly Dataset[];
  loadingLabel: string;
  children: ReactNode;
}) {
  const t = useTranslations("mobile.sync");
  const { engine, local, state, online } = useSync();
  const held = local !== null && datasets.every((dataset) => local.fetchedAt[dataset] !== undefined);
  if (held) return children;
  // Online, the first pull (or the user's facility, for the engine) is on its way until one fails;
  // offline, only the device is still being read (a moment).
  const coming = online ? state.lastError === null : engine !== null && local === null;
  return (
    <View style={styles.centered}>
      {coming ? (
        <ActivityIndicator size="large" color={colors.brand} aria-label={loadingLabel || t("loadingFirst")} />
      ) : (
        <Text testID="nothing-yet" role="alert" style={styles.text}>
          {t("nothingYet")}
        </Text>
      )}
    </View>
  );
}

const styles = StyleSheet.create({
  centered: { flex: 1, alignItems: "center", justifyContent: "center", gap: space.lg, padding: space.xl },
  text: { fontSize: fontSize.md, color: colors.ink, textAlign: "center" },
});
