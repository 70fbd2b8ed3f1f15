import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import type { ReactNode } from "react";
import { Pressable, StyleSheet, Text, View } from "react-native";

interface ChoiceProps {
  label: string;
  /** Lines under the label (stock, expiry…). */
  children?: ReactNode;
  selected: boolean;
  onPress: () => void;
  testID?: string;
  disabled?: boolean;
}

/**
 * One option of a single-choice list. Native pickers differ per platform and are poor on web,
 * so choices are plain pressable rows that read as radio buttons to screen readers.
 */
export function Choice({ label, children, selected, onPress, testID, disabled = false }: ChoiceProps) {
  return (
    <Pressable
      testID={testID}
      role="radio"
      aria-checked={selected}
      aria-disabled={disabled}
      disabled={disabled}
      onPress={onPress}
      style={({ pressed }) => [
        styles.row,
        selected && styles.selected,
        disabled && styles.disabled,
        pressed && styles.pressed,
      ]}
    >
      <View style={[styles.dot, selected && styles.dotSelected]} />
      <View style={styles.body}>
        <Text style={styles.label}>{label}</Text>
        {children}
      </View>
    </Pressable>
  );
}

/** A line under a choice's label; "warn" marks what staff should notice (expiry soon, VVM stage 2). */
export function ChoiceDetail({ text, tone = "muted" }: { text: string; tone?: "muted" | "warn" }) {
  return <Text style={[styles.detail, tone === "warn" && styles.warn]}>{text}</Text>;
}

const styles = StyleSheet.create({
  row: {
    flexDirection: "row",
    alignItems: "center",
    gap: space.md,
    minHeight: 48,
    padding: space.md,
    borderRadius: radius.sm,
    borderWidth: 1,
    borderColor: colors.border,
    backgroundColor: colors.surface,
  },
  selected: { borderColor: colors.brand, borderWidth: 2 },
  disabled: { opacity: 0.5 },
  pressed: { opacity: 0.7 },
  dot: { width: 18, height: 18, borderRadius: 9, borderWidth: 2, borderColor: colors.border },
  dotSelected: { borderColor: colors.brand, backgroundColor: colors.brand },
  body: { flex: 1, gap: 2 },
  label: { fontSize: fontSize.md, fontWeight: "600", color: colors.ink },
  detail: { fontSize: fontSize.sm, color: colors.inkMuted },
  warn: { color: colors.danger },
});
