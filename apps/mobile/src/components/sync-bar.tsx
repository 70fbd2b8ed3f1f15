import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { useRouter } from "expo-router";
import { Pressable, StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { useDataAge } from "@/hooks/use-data-age";
import { usePhoneFormat } from "@/i18n/use-phone-format";
import type { SyncError } from "@/sync/engine";
import type { Dataset } from "@/sync/local-store";
import { useSync } from "@/sync/sync-provider";

/** The sync failure in words: the connection, the phone's storage, or the server. */
function failureKey(error: SyncError) {
  if (error.reason === "network") return "failure.network" as const;
  if (error.reason === "storage") return "failure.storage" as const;
  if (error.reason === "stock.busy" || error.reason === "sync.deferred") return "failure.busy" as const;
  return "failure.server" as const;
}

/**
 * Under every screen's header: whether the phone is offline, what waits to be sent, whether it is
 * sending or updating, the last failure and the next try, how old this screen's data is, and a way
 * to the refused actions. Compact: one or two lines in the usual case.
 */
export function SyncBar({ datasets }: { datasets: readonly Dataset[] }) {
  const t = useTranslations("mobile.sync");
  const format = usePhoneFormat();
  const router = useRouter();
  const { state, online } = useSync();
  const age = useDataAge(datasets);
  const busy = state.syncing ? t("sending") : state.pulling ? t("updating") : null;
  const failure = state.lastError && !state.syncing ? state.lastError : null;

  return (
    <View testID="sync-bar" role="status" aria-live="polite" style={styles.bar}>
      <View style={styles.row}>
        {online ? null : (
          <Text testID="sync-offline" style={styles.offline}>
            {t("offline")}
          </Text>
        )}
        <Text testID="sync-waiting" style={[styles.text, state.waiting > 0 && styles.strong]}>
          {t("waiting", { count: state.waiting })}
        </Text>
        {busy ? (
          <Text testID="sync-busy" style={styles.text}>
            {busy}
          </Text>
        ) : null}
      </View>
      <Text testID="sync-age" style={styles.text}>
        {age}
      </Text>
      {failure && (online || failure.reason !== "network") ? (
        <Text testID="sync-error" style={styles.error}>
          {t(failureKey(failure))}
          {state.retryAt !== null ? ` ${t("nextTry", { time: format.clockTime(new Date(state.retryAt)) })}` : ""}
        </Text>
      ) : null}
      {state.rejected > 0 ? (
        <Pressable
          testID="sync-rejected"
          role="button"
          onPress={() => router.push("/rejected")}
          style={({ pressed }) => [styles.rejected, pressed && styles.pressed]}
        >
          <Text style={styles.rejectedText}>{t("rejected", { count: state.rejected })}</Text>
        </Pressable>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  bar: { gap: 2, paddingVertical: space.sm },
  row: { flexDirection: "row", flexWrap: "wrap", alignItems: "center", columnGap: space.sm, rowGap: 2 },
  text: { fontSize: fontSize.sm, color: colors.inkMuted },
  strong: { color: colors.ink, fontWeight: "700" },
  offline: {
    fontSize: fontSize.sm,
    fontWeight: "700",
    color: colors.brandInk,
    backgroundColor: colors.unknown,
    paddingHorizontal: space.sm,
    borderRadius: radius.sm,
    overflow: "hidden",
  },
  error: { fontSize: fontSize.sm, color: colors.danger },
  rejected: {
    minHeight: 48,
    justifyContent: "center",
    paddingHorizontal: space.md,
    marginTop: space.xs,
    borderRadius: radius.sm,
    backgroundColor: colors.warmSoft,
  },
  rejectedText: { fontSize: fontSize.sm, fontWeight: "700", color: colors.danger },
  pressed: { opacity: 0.7 },
});
