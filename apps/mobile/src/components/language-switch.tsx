import { type Locale, locales } from "@rantai/ui/locales";
import { colors, fontSize, radius, space } from "@rantai/ui/tokens";
import { useMutation } from "@tanstack/react-query";
import { Pressable, StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { useLocaleChoice } from "@/i18n/locale-provider";
import { useTRPC } from "@/lib/trpc";
import { useSession } from "@/session/session-provider";

/**
 * Bahasa Indonesia or English, as two 48-px buttons named in full for screen readers. The choice
 * applies at once and is kept on this phone (offline and before sign-in); signed in, it is also
 * stored on the user (`auth.setLocale`, as the console does), so the console follows it.
 */
export function LanguageSwitch() {
  const t = useTranslations("language");
  const trpc = useTRPC();
  const { status } = useSession();
  const { locale, chooseLocale } = useLocaleChoice();
  const save = useMutation(trpc.auth.setLocale.mutationOptions());

  const choose = (next: Locale) => {
    if (next === locale) return;
    void chooseLocale(next);
    if (status === "signed-in") save.mutate({ locale: next });
  };

  return (
    <View style={styles.wrap}>
      <View role="radiogroup" aria-label={t("label")} style={styles.group}>
        {locales.map((option) => {
          const selected = option === locale;
          return (
            <Pressable
              key={option}
              testID={`language-${option}`}
              role="radio"
              aria-checked={selected}
              aria-label={t(option)}
              onPress={() => choose(option)}
              style={[styles.option, selected && styles.selected]}
            >
              <Text style={[styles.label, selected && styles.selectedLabel]}>{option.toUpperCase()}</Text>
            </Pressable>
          );
        })}
      </View>
      {save.isError ? (
        <Text testID="language-save-error" role="alert" style={styles.error}>
          {t("saveFailed")}
        </Text>
      ) : null}
    </View>
  );
}

const styles = StyleSheet.create({
  wrap: { alignItems: "flex-end", gap: space.xs, flexShrink: 1 },
  group: {
    flexDirection: "row",
    borderWidth: 1,
    borderColor: colors.border,
    borderRadius: radius.sm,
    overflow: "hidden",
  },
  option: { minWidth: 48, minHeight: 48, alignItems: "center", justifyContent: "center" },
  selected: { backgroundColor: colors.brand },
  label: { fontSize: fontSize.sm, fontWeight: "700", color: colors.brand },
  selectedLabel: { color: colors.brandInk },
  error: { fontSize: fontSize.sm, color: colors.danger, textAlign: "right" },
});
