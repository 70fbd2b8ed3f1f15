import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { StyleSheet, Text } from "react-native";
import { useTranslations } from "use-intl";
import { savedStatusOf } from "@/lib/saved-status";
import { useSync } from "@/sync/sync-provider";

/** What a form just did (passed back as route parameters), and whether it has reached the server yet. */
export function SavedNotice({
  text,
  idempotencyKey,
  testID,
}: {
  text: string | undefined;
  idempotencyKey: string | undefined;
  testID: string;
}) {
  const t = useTranslations("mobile.sync");
  const { local, state } = useSync();
  if (!text || !idempotencyKey) return null;
  const status = local ? savedStatusOf(idempotencyKey, local, state) : "waiting";
  const after = { waiting: t("savedOnPhone"), sent: t("sent"), refused: t("refusedLater") }[status];
  return (
    <Text
      testID={testID}
      role="status"
      aria-live="polite"
      style={[styles.notice, status === "refused" && styles.refused]}
    >
      {text} {after}
    </Text>
  );
}

const styles = StyleSheet.create({
  notice: {
    fontSize: fontSize.md,
    color: colors.ok,
    backgroundColor: colors.okSoft,
    padding: space.md,
    borderRadius: radius.sm,
  },
  refused: { color: colors.danger, backgroundColor: colors.warmSoft },
});
