import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { ActivityIndicator, Pressable, StyleSheet, Text } from "react-native";

interface ButtonProps {
  label: string;
  onPress: () => void;
  testID?: string;
  /** Spoken label when the visible text alone is ambiguous. */
  accessibilityLabel?: string;
  variant?: "primary" | "secondary";
  disabled?: boolean;
  busy?: boolean;
}

export function Button({
  label,
  onPress,
  testID,
  accessibilityLabel,
  variant = "primary",
  disabled = false,
  busy = false,
}: ButtonProps) {
  const primary = variant === "primary";
  const inactive = disabled || busy;
  return (
    <Pressable
      testID={testID}
      role="button"
      aria-label={accessibilityLabel ?? label}
      aria-disabled={inactive}
      aria-busy={busy}
      disabled={inactive}
      onPress={onPress}
      style={({ pressed }) => [
        styles.base,
        primary ? styles.primary : styles.secondary,
        (pressed || inactive) && styles.dimmed,
      ]}
    >
      {busy ? (
        <ActivityIndicator color={primary ? colors.brandInk : colors.brand} />
      ) : (
        <Text style={[styles.label, primary ? styles.primaryLabel : styles.secondaryLabel]}>{label}</Text>
      )}
    </Pressable>
  );
}

const styles = StyleSheet.create({
  base: {
    // 48 px: the smallest target a gloved or hurried thumb hits reliably.
    minHeight: 48,
    minWidth: 48,
    paddingHorizontal: space.lg,
    borderRadius: radius.sm,
    alignItems: "center",
    justifyContent: "center",
  },
  primary: { backgroundColor: colors.brand },
  secondary: { backgroundColor: colors.surface, borderWidth: 1, borderColor: colors.border },
  dimmed: { opacity: 0.7 },
  label: { fontSize: fontSize.md, fontWeight: "600" },
  primaryLabel: { color: colors.brandInk },
  secondaryLabel: { color: colors.brand },
});
