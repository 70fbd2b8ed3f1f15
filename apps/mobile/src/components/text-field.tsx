import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import type { Ref } from "react";
import { StyleSheet, Text, TextInput, type TextInputProps, View } from "react-native";

interface TextFieldProps extends TextInputProps {
  label: string;
  ref?: Ref<TextInput>;
}

export function TextField({ label, style, ref, ...input }: TextFieldProps) {
  return (
    <View style={styles.field}>
      <Text style={styles.label}>{label}</Text>
      <TextInput
        ref={ref}
        aria-label={label}
        placeholderTextColor={colors.inkMuted}
        style={[styles.input, style]}
        {...input}
      />
    </View>
  );
}

const styles = StyleSheet.create({
  field: { gap: space.xs },
  label: { fontSize: fontSize.sm, fontWeight: "600", color: colors.ink },
  input: {
    minHeight: 48,
    paddingHorizontal: space.md,
    borderWidth: 1,
    borderColor: colors.border,
    borderRadius: radius.sm,
    backgroundColor: colors.surface,
    fontSize: fontSize.md,
    color: colors.ink,
  },
});
