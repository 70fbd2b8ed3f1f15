import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { Modal, StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { useSignOut } from "@/hooks/use-sign-out";
import { useSync } from "@/sync/sync-provider";

/**
 * Asks before signing out, because signing out deletes the facility's data from the phone: a
 * short confirmation when everything is sent, a warning with the count when actions still wait
 * (they would be lost).
 */
export function SignOutDialog({ visible, onClose }: { visible: boolean; onClose: () => void }) {
  const t = useTranslations("mobile.signOut");
  const { state } = useSync();
  const { signOut, isPending } = useSignOut();
  const waiting = state.waiting;
  return (
    <Modal visible={visible} transparent animationType="none" onRequestClose={onClose}>
      <View style={styles.backdrop}>
        <View testID="sign-out-dialog" role="alertdialog" aria-modal style={styles.card}>
          <Text role="heading" style={styles.title}>
            {t("title")}
          </Text>
          <Text testID="sign-out-message" style={[styles.text, waiting > 0 && styles.warning]}>
            {waiting > 0 ? t("waiting", { count: waiting }) : t("clean")}
          </Text>
          <Button label={t("stay")} testID="sign-out-stay" variant="secondary" onPress={onClose} />
          <Button
            label={waiting > 0 ? t("confirmAnyway") : t("confirm")}
            testID="sign-out-confirm"
            onPress={() => void signOut()}
            busy={isPending}
          />
        </View>
      </View>
    </Modal>
  );
}

const styles = StyleSheet.create({
  backdrop: {
    flex: 1,
    alignItems: "center",
    justifyContent: "center",
    padding: space.lg,
    backgroundColor: "rgba(27, 36, 48, 0.5)",
  },
  card: {
    width: "100%",
    maxWidth: 420,
    gap: space.md,
    padding: space.xl,
    borderRadius: radius.md,
    backgroundColor: colors.surface,
  },
  title: { fontSize: fontSize.lg, fontWeight: "700", color: colors.ink },
  text: { fontSize: fontSize.md, color: colors.ink },
  warning: { color: colors.danger, fontWeight: "600" },
});
