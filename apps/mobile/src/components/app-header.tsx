import { colors, fontSize, space } from "@rantai/ui/tokens";
import { type Href, useRouter } from "expo-router";
import { Pressable, StyleSheet, Text, View } from "react-native";
import { useTranslations } from "use-intl";
import { Button } from "@/components/button";
import { LanguageSwitch } from "@/components/language-switch";
import { useSignOut } from "@/hooks/use-sign-out";

export type Section = "fridges" | "stock" | "deliveries";

const sections: readonly { key: Section; href: Href }[] = [
  { key: "fridges", href: "/fridges" },
  { key: "stock", href: "/stock" },
  { key: "deliveries", href: "/deliveries" },
];

/** The top of every signed-in screen: where you are, the other sections, the language and sign out. */
export function AppHeader({ current }: { current: Section }) {
  const t = useTranslations();
  const router = useRouter();
  const { signOut, isPending } = useSignOut();

  return (
    <View style={styles.header}>
      <View style={styles.topRow}>
        <Text role="heading" style={styles.title}>
          {t(`mobile.sections.${current}`)}
        </Text>
        <View style={styles.actions}>
          <LanguageSwitch />
          <Button
            label={t("layout.signOut")}
            testID="sign-out-button"
            variant="secondary"
            onPress={signOut}
            busy={isPending}
          />
        </View>
      </View>
      <View role="tablist" aria-label={t("layout.sections")} style={styles.tabs}>
        {sections.map((section) => {
          const selected = section.key === current;
          return (
            <Pressable
              key={section.key}
              testID={`nav-${section.key}`}
              role="tab"
              aria-selected={selected}
              // dismissTo pops back to the section when it is under this screen and replaces
              // this screen otherwise, so switching sections never piles up history.
              onPress={() => {
                if (!selected) router.dismissTo(section.href);
              }}
              style={[styles.tab, selected && styles.tabSelected]}
            >
              <Text style={[styles.tabLabel, selected && styles.tabLabelSelected]}>
                {t(`mobile.sections.${section.key}`)}
              </Text>
            </Pressable>
          );
        })}
      </View>
    </View>
  );
}

const styles = StyleSheet.create({
  header: {
    backgroundColor: colors.surface,
    borderBottomWidth: 1,
    borderBottomColor: colors.border,
    paddingHorizontal: space.lg,
    paddingTop: space.md,
  },
  topRow: { flexDirection: "row", alignItems: "center", justifyContent: "space-between", gap: space.sm },
  // The title gives way first: "Lemari es" wraps before the switch or sign-out is squeezed.
  title: { flexShrink: 1, fontSize: fontSize.lg, fontWeight: "700", color: colors.ink },
  actions: { flexDirection: "row", alignItems: "flex-start", gap: space.sm },
  tabs: { flexDirection: "row", marginTop: space.sm },
  tab: {
    minHeight: 48,
    // Three Indonesian labels share 360 px: each tab takes a third rather than its text's width.
    flexGrow: 1,
    paddingHorizontal: space.sm,
    alignItems: "center",
    justifyContent: "center",
    borderBottomWidth: 3,
    borderBottomColor: "transparent",
  },
  tabSelected: { borderBottomColor: colors.brand },
  tabLabel: { fontSize: fontSize.md, fontWeight: "600", color: colors.inkMuted },
  tabLabelSelected: { color: colors.brand },
});
