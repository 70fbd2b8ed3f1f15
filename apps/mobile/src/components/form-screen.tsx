import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import type { ReactNode } from "react";
import { KeyboardAvoidingView, Platform, ScrollView, StyleSheet, Text, View } from "react-native";
import { SafeAreaView } from "react-native-safe-area-context";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";

/** A full-screen form (record usage, receive a shipment): its title, Cancel (or another way back), and a scrolling body. */
export function FormScreen({
  title,
  cancelLabel,
  cancelTestID,
  onCancel,
  children,
}: {
  title: string;
  /** "Cancel" unless the screen leaves otherwise ("Back"). */
  cancelLabel?: string;
  cancelTestID: string;
  onCancel: () => void;
  children: ReactNode;
}) {
  const t = useTranslations("mobile");
  return (
    <SafeAreaView style={styles.safe}>
      <View style={styles.topBar}>
        <Text role="heading" style={styles.title}>
          {title}
        </Text>
        <Button label={cancelLabel ?? t("cancel")} testID={cancelTestID} variant="secondary" onPress={onCancel} />
      </View>
      <KeyboardAvoidingView style={styles.flex} behavior={Platform.OS === "ios" ? "padding" : undefined}>
        <ScrollView contentContainerStyle={styles.content} keyboardShouldPersistTaps="handled">
          {children}
        </ScrollView>
      </KeyboardAvoidingView>
    </SafeAreaView>
  );
}

/** Styles the forms and their lists share. */
export const formStyles = StyleSheet.create({
  card: {
    backgroundColor: colors.surface,
    borderWidth: 1,
    borderColor: colors.border,
    borderRadius: radius.md,
    padding: space.lg,
    gap: space.sm,
  },
  step: { fontSize: fontSize.md, fontWeight: "700", color: colors.ink, marginTop: space.sm },
  hint: { fontSize: fontSize.sm, color: colors.inkMuted },
  fieldError: { fontSize: fontSize.sm, color: colors.danger, marginTop: -space.sm },
  error: {
    fontSize: fontSize.md,
    color: colors.danger,
    backgroundColor: colors.warmSoft,
    padding: space.md,
    borderRadius: radius.sm,
  },
});

const styles = StyleSheet.create({
  safe: { flex: 1, backgroundColor: colors.canvas },
  flex: { flex: 1 },
  topBar: {
    flexDirection: "row",
    alignItems: "center",
    justifyContent: "space-between",
    gap: space.sm,
    paddingHorizontal: space.lg,
    paddingVertical: space.md,
    borderBottomWidth: 1,
    borderBottomColor: colors.border,
    backgroundColor: colors.surface,
  },
  title: { flexShrink: 1, fontSize: fontSize.lg, fontWeight: "700", color: colors.ink },
  content: { padding: space.lg, gap: space.md, width: "100%", maxWidth: 560, alignSelf: "center" },
});
